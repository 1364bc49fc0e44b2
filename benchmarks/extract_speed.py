"""Print the claims extractor's speed: milliseconds for the 2022 report, and
throughput on about 10 MB of concatenated report text."""

import time

from linhai_analysis import paths
from linhai_analysis.claims import extract_claims
from linhai_analysis.report_text import load_report, parse_report


def best_of(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
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
