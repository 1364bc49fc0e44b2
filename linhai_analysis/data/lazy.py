"""Lazy public names for a package: ``from wing import name`` imports the module that
defines ``name`` on first use, so importing one light module never pulls in pandas."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, names: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of ``package`` for ``names``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : mapping
        Public name -> module (relative to ``package``) that defines it.

    Examples
    --------
    >>> getattr_, dir_ = lazy_exports("linhai_analysis.models", {"cagr": "growth"})
    >>> getattr_("cagr").__name__, dir_()
    ('cagr', ['cagr'])
    """

    def __getattr__(name: str) -> Any:
        if name in names:
            return getattr(importlib.import_module(f".{names[name]}", package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__
