"""Print the time of `import linhai_analysis` next to `import pandas`, each in a fresh
interpreter (median of 7 runs), measured in the same run."""

import statistics
import subprocess
import sys


def timed(stmt: str, runs: int = 7) -> float:
    code = f"import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
    return statistics.median(
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs))


if __name__ == "__main__":
    base = timed("pass")
    pandas = timed("import pandas")
    pkg = timed("import linhai_analysis")
    full = timed("import linhai_analysis.claims, linhai_analysis.data, linhai_analysis.assess.reconcile")
    print(f"import pandas                         {pandas * 1000:8.1f} ms")
    print(f"import linhai_analysis                {pkg * 1000:8.1f} ms")
    print(f"import claims + data + reconcile      {full * 1000:8.1f} ms (pandas included)")
    print(f"(empty statement                      {base * 1000:8.1f} ms)")
