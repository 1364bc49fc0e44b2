"""Heavy results computed once per report run and shared by the notebooks that show them.

``linhai-analysis report`` runs the notebooks side by side; several of them need the
same judgements (the targets judged at ``as_of``, the sensitivity grid, the backtest).
A function decorated with :func:`shared_result` stores its result in the folder named
by the environment variable :data:`CACHE_ENV` (set by the renderer for one run, removed
after it) under a key made from the function and a fingerprint of its arguments
(DataFrames by content). The first notebook to ask computes it while holding a lock on
the key; the others wait for the lock and read the stored result. Without the
variable — an interactive session, a test — the function simply runs.

Results are the same either way (the functions are deterministic and seeded), so the
pages do not depend on which notebook ran first.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

#: Environment variable naming the run's cache folder.
CACHE_ENV = "LINHAI_SHARED_RESULTS"

F = TypeVar("F", bound=Callable[..., Any])


def _feed(h: Any, obj: Any) -> None:
    """Feed a stable fingerprint of ``obj`` into the hash ``h``."""
    if isinstance(obj, pd.DataFrame):
        h.update(b"DF")
        h.update(repr((list(map(str, obj.columns)), list(map(str, obj.dtypes)), obj.shape)).encode())
        if len(obj):
            h.update(pd.util.hash_pandas_object(obj, index=True).values.tobytes())
    elif isinstance(obj, pd.Series):
        h.update(b"S" + repr((obj.name, str(obj.dtype), len(obj))).encode())
        if len(obj):
            h.update(pd.util.hash_pandas_object(obj, index=True).values.tobytes())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(b"DC" + type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):
            h.update(f.name.encode())
            _feed(h, getattr(obj, f.name))
    elif isinstance(obj, dict):
        h.update(b"D")
        for k in sorted(obj, key=repr):
            _feed(h, k)
            _feed(h, obj[k])
    elif isinstance(obj, list | tuple | set | frozenset):
        h.update(b"L" + type(obj).__name__.encode())
        for x in (sorted(obj, key=repr) if isinstance(obj, set | frozenset) else obj):
            _feed(h, x)
    elif obj is None or isinstance(obj, str | int | float | bool | Path):
        h.update(repr(obj).encode())
    else:
        h.update(pickle.dumps(obj, protocol=4))


def fingerprint(*args: Any, **kwargs: Any) -> str:
    """A hex digest that is equal for equal arguments (DataFrames compared by content).

    Examples
    --------
    >>> import pandas as pd
    >>> fingerprint(pd.DataFrame({"a": [1]}), x=2) == fingerprint(pd.DataFrame({"a": [1]}), x=2)
    True
    >>> fingerprint(pd.DataFrame({"a": [1]})) == fingerprint(pd.DataFrame({"a": [2]}))
    False
    """
    h = hashlib.sha256()
    _feed(h, args)
    _feed(h, kwargs)
    return h.hexdigest()


def shared_result(func: F) -> F:
    """Share ``func``'s result between the notebooks of one report run (see the module
    docstring); a plain call outside a run."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        folder = os.environ.get(CACHE_ENV, "").strip()
        if not folder or not Path(folder).is_dir():
            return func(*args, **kwargs)
        import fcntl

        key = f"{func.__module__}.{func.__qualname__}-{fingerprint(*args, **kwargs)}"
        store = Path(folder) / f"{key}.pkl"
        with open(Path(folder) / f"{key}.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if store.is_file():
                    with open(store, "rb") as fh:
                        return pickle.load(fh)
                result = func(*args, **kwargs)
                tmp = store.with_suffix(".tmp")
                with open(tmp, "wb") as fh:
                    pickle.dump(result, fh, protocol=4)
                os.replace(tmp, store)
                return result
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    return wrapper  # type: ignore[return-value]
