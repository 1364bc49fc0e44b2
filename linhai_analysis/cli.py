"""Command line: ``linhai-analysis build | claims | report``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import LinhaiError


def _build(args: argparse.Namespace) -> None:
    from .data import build

    for p in build(args.out, args.user_series):
        print(p)


def _claims(args: argparse.Namespace) -> None:
    from .claims import extract_claims
    from .report_text import load_report

    df = extract_claims(load_report(args.report, verify=False), report_year=args.year)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.output.with_name(f".{args.output.name}.tmp")
        df.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        tmp.replace(args.output)
        print(f"{len(df)} claims -> {args.output}")
    else:
        df.to_csv(sys.stdout, index=False, lineterminator="\n")


def _report(args: argparse.Namespace) -> None:
    from .render import render_reports

    def progress(line: str) -> None:
        print(line, flush=True)

    render_reports(args.out, as_of=args.as_of, lang=args.lang, no_input=args.no_input,
                   user_series=args.user_series, progress=progress)
    print(f"reports written to {args.out or 'reports/'}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``linhai-analysis`` console script."""
    parser = argparse.ArgumentParser(prog="linhai-analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="validate raw data and write data/processed/")
    b.add_argument("--out", type=Path, default=None, help="output directory (default data/processed)")
    b.add_argument("--user-series", type=Path, nargs="*", default=[], help="CSV files of official series")
    b.set_defaults(func=_build)

    c = sub.add_parser("claims", help="extract numeric claims from a report text file")
    c.add_argument("report", type=Path, help="report text (UTF-8 or GB18030/GBK)")
    c.add_argument("-o", "--output", type=Path, default=None, help="CSV to write (default: stdout)")
    c.add_argument("--year", type=int, default=None, help="report year if the title line lacks it")
    c.set_defaults(func=_claims)

    r = sub.add_parser("report", help="execute the notebooks and render HTML under reports/")
    r.add_argument("--as-of", default="2022-02-17", help="information set: YYYY-MM-DD or 'latest'")
    r.add_argument("--lang", choices=("zh", "en"), default="zh", help="figure label language")
    r.add_argument("--no-input", action="store_true", help="hide code in the HTML")
    r.add_argument("--out", type=Path, default=None, help="output directory (default reports/)")
    r.add_argument("--user-series", type=Path, nargs="*", default=[], help="CSV files of official series")
    r.set_defaults(func=_report)

    args = parser.parse_args(argv)
    if getattr(args, "as_of", None) not in (None, "latest"):
        import datetime as dt

        try:
            dt.date.fromisoformat(args.as_of)
        except ValueError:
            parser.error(f"--as-of must be YYYY-MM-DD or 'latest', not {args.as_of!r}")
    try:
        args.func(args)
    except LinhaiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
