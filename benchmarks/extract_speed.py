"""Print the claims extractor's speed: milliseconds for the 2022 report, and
throughput on about 10 MB of concatenated report text."""

import time

from linhai_analysis.claims.extract import extract_claims
from linhai_analysis.claims.text import load_report, parse_report
from linhai_analysis.data import paths


def best_of(fn, runs: int = 5, cpu: list | None = None) -> float:
    """Best wall-clock time of ``runs`` calls; the best CPU time (``time.process_time``, which
    other processes on a shared machine do not inflate) is appended to ``cpu`` when given."""
    times, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    if cpu is not None:
        cpu.append(min(cpus))
    return min(times)


if __name__ == "__main__":
    report = load_report(paths.REPORT_FILE)
    one = best_of(lambda: extract_claims(report))
    body = "\n".join(p.text for p in report.paragraphs)
    copies = max(1, int(10e6 / len(body.encode("utf-8"))))
    big_text = "\n".join([body] * copies)
    mb = len(big_text.encode("utf-8")) / 1e6
    n = 0

    def run() -> None:
        global n
        n = len(extract_claims(parse_report(big_text, "big"), report_year=2022))

    secs = best_of(run, runs=3)
    print(f"2022 report ({len(body.encode('utf-8')) / 1e3:.0f} kB): {one * 1000:.1f} ms, "
          f"{len(extract_claims(report))} claims")
    print(f"{copies} concatenated copies ({mb:.1f} MB), parse + extract, best of 3: {secs:.2f} s, "
          f"{mb / secs:.2f} MB/s, {n} claims")
    # one sentence with no line break and no full stop (a page saved as a single line): time
    # and output must grow linearly; the claims CSV is reported in bytes per input byte
    import warnings

    from linhai_analysis.claims.extract import ReportStructureWarning

    warnings.simplefilter("ignore", ReportStructureWarning)
    unit = "从85家增加到207家、地区生产总值819.9亿元,增长8.1%和"
    timings, cpu_timings = {}, {}
    for n_chars in (10_000, 100_000, 145_000, 1_000_000):
        para = (unit * (n_chars // len(unit) + 1))[:n_chars]
        out: list = []
        cpu: list = []
        secs = best_of(lambda p=para, o=out: o.append(extract_claims(p, report_year=2022)), runs=3, cpu=cpu)
        cpu_timings[n_chars] = cpu[0]
        in_bytes = len(para.encode("utf-8"))
        csv_bytes = len(out[-1].to_csv(index=False).encode("utf-8"))
        timings[n_chars] = secs
        print(f"one sentence of {n_chars:>9,} characters ({in_bytes / 1e3:,.0f} kB): {secs:.3f} s "
              f"(CPU {cpu[0]:.3f} s), "
              f"{secs / in_bytes * 1e6:.2f} s/MB, claims CSV {csv_bytes / 1e6:.2f} MB "
              f"({csv_bytes / in_bytes:.1f} output bytes per input byte)")
    print(f"time ratio 10^6 / 10^5 characters: {timings[1_000_000] / timings[100_000]:.1f} wall clock, "
          f"{cpu_timings[1_000_000] / cpu_timings[100_000]:.1f} CPU (linear: 10)")
