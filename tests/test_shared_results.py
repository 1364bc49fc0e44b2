"""Heavy results computed once per report run: the cache key, the lock, and the
notebooks' order in the index whatever order they finish in."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pandas as pd

from linhai_analysis.assess.cache import CACHE_ENV, fingerprint, shared_result
from linhai_analysis.report.render import default_jobs


def test_fingerprint_follows_content_not_identity():
    a = pd.DataFrame({"x": [1.0, 2.0]})
    assert fingerprint(a, k=1) == fingerprint(a.copy(), k=1)
    assert fingerprint(a, k=1) != fingerprint(a, k=2)
    assert fingerprint(a) != fingerprint(pd.DataFrame({"x": [1.0, 2.5]}))
    assert fingerprint(a) != fingerprint(pd.DataFrame({"y": [1.0, 2.0]}))  # a column name counts


def test_without_a_run_folder_the_function_simply_runs(monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    calls = []

    @shared_result
    def f(x):
        calls.append(x)
        return x * 2

    assert f(2) == 4 and f(2) == 4
    assert calls == [2, 2]


def test_in_a_run_the_result_is_computed_once(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    calls = []

    @shared_result
    def f(df):
        calls.append(len(df))
        return df.assign(y=df["x"] * 10)

    df = pd.DataFrame({"x": [1, 2, 3]})
    first, second = f(df), f(df.copy())
    pd.testing.assert_frame_equal(first, second)
    assert calls == [3]
    f(pd.DataFrame({"x": [1]}))  # other arguments, another result
    assert calls == [3, 1]


def test_two_processes_asking_at_once_compute_once(tmp_path):
    log = tmp_path / "log.txt"
    code = textwrap.dedent(f"""
        import time
        from linhai_analysis.assess.cache import shared_result

        @shared_result
        def slow(x):
            with open({str(log)!r}, "a") as fh:
                fh.write("computed\\n")
            time.sleep(1.0)
            return x + 1

        print(slow(41))
    """)
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {**os.environ, CACHE_ENV: str(cache)}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert outs == ["42", "42"]
    assert log.read_text().splitlines() == ["computed"]  # the second waited for the first's result


def test_jobs_default_to_the_cores_but_never_more_than_the_notebooks():
    cores = os.cpu_count() or 1
    assert default_jobs(6) == min(6, cores)
    assert default_jobs(1) == 1
    assert default_jobs(0) == 1
