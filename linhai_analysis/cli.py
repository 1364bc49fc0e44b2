"""Command line: ``linhai-analysis build | claims | report | annotate | audit``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import LinhaiError

#: Set once a command's output is complete on disk (an interrupt after that loses nothing).
_DONE: dict[str, str] = {}


def _build(args: argparse.Namespace) -> None:
    from .pipeline import build

    written = build(args.out, args.user_series)
    _DONE["what"] = f"the build in {args.out or 'data/processed'}"
    for p in written:
        print(p)


def _claims(args: argparse.Namespace) -> None:
    from .claims.extract import extract_claims
    from .claims.text import decode_report_bytes, load_report, parse_report
    from .data.files import read_stream_bytes, write_atomic
    from .data.safety import neutralise_frame

    if str(args.report) == "-":
        stdin = getattr(sys.stdin, "buffer", None) if sys.stdin is not None else None
        text, enc = decode_report_bytes(read_stream_bytes(stdin, "standard input"), "<stdin>")
        report = parse_report(text, "stdin", enc)
    else:
        report = load_report(args.report, verify=False)
    df = neutralise_frame(extract_claims(report, report_year=args.year, place=args.place))  # text a spreadsheet would run
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(args.output, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8-sig",
                                                        lineterminator="\n"))
        _DONE["what"] = str(args.output)
        print(f"{len(df)} claims -> {args.output}")
    else:
        df.to_csv(sys.stdout, index=False, lineterminator="\n")


def _report(args: argparse.Namespace) -> None:
    from .report.render import render_reports

    def progress(line: str) -> None:
        print(line, flush=True)

    render_reports(args.out, as_of=args.as_of, lang=args.lang, no_input=args.no_input,
                   with_code=args.with_code, user_series=args.user_series, progress=progress)
    _DONE["what"] = f"the reports in {args.out or 'reports/'}"
    print(f"reports written to {args.out or 'reports/'}")


def _audit(args: argparse.Namespace) -> None:
    from .report.audit import render_audit

    written = render_audit(args.out, args.place, args.claims, args.observations, args.sources,
                           as_of=args.as_of, lang=args.lang)
    for p in written:
        print(p)


def _annotate(args: argparse.Namespace) -> None:
    from .claims.text import load_report
    from .data.load import observations
    from .report.annotate import annotate_report
    from .report.outdir import check_out_dir, locked, publish, stage_dir
    from .report.tables import merge_workbook, write_tables

    out = args.out
    check_out_dir(out)
    report = load_report(args.report, verify=False)
    observations(args.user_series)  # a bad user series fails here, before any output
    page, tables = annotate_report(report, place=args.place, year=args.year, user_series=args.user_series,
                                   as_of=args.as_of, lang=args.lang)
    import shutil

    with locked(out):
        check_out_dir(out)
        stage = stage_dir(out)
        try:
            write_tables({k: v for k, v in tables.items() if v is not None}, stage / "tables")
            merge_workbook(stage / "tables", stage / "linhai_tables.xlsx")
            (stage / "annotated.html").write_text(page, encoding="utf-8")
            publish(stage, out)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    n = len(tables["claims"])
    print(f"{n} claims annotated -> {out / 'annotated.html'}")


def _year(text: str) -> int:
    try:
        y = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    if not 1949 <= y <= 2100:
        raise argparse.ArgumentTypeError(f"year {y} is outside 1949..2100")
    return y


def _as_of(text: str) -> str:
    """``YYYY-MM-DD`` (a real date) or ``latest``; a date after today warns."""
    import datetime as dt
    import re

    if text == "latest":
        return text
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"must be YYYY-MM-DD or 'latest', not {text!r}")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a calendar date: {text!r}") from None
    if day > dt.date.today():
        print(f"warning: --as-of {text} is in the future; it selects everything published so far",
              file=sys.stderr)
    return text


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``linhai-analysis`` console script.

    Exit codes: 0 success; 2 an input or output problem (the message names the file,
    line and field where there is one; no traceback); 130 interrupted (Ctrl-C), with
    nothing partial left behind.
    """
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="linhai-analysis", formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        description="Check a government work report against the statistics: build the data, extract "
                    "claims, render the reports, or annotate any report text.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="validate raw data and write data/processed/")
    b.add_argument("--out", type=Path, default=None, help="output directory (default data/processed)")
    b.add_argument("--user-series", type=Path, nargs="*", default=[], help="CSV files of official series")
    b.set_defaults(func=_build)

    c = sub.add_parser("claims", help="extract numeric claims from a report text file")
    c.add_argument("report", type=Path, help="report text (UTF-8 or GB18030/GBK); '-' reads standard input")
    c.add_argument("-o", "--output", type=Path, default=None, help="CSV to write (default: stdout)")
    c.add_argument("--year", type=_year, default=None, help="report year if the title line lacks it")
    c.add_argument("--place", default=None, help="place the report is about (default: read from its title)")
    c.set_defaults(func=_claims)

    r = sub.add_parser("report", help="execute the notebooks and render HTML under reports/",
                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    r.add_argument("--as-of", type=_as_of, default="2022-02-17", help="information set: YYYY-MM-DD or 'latest'")
    r.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="language of figure labels, table contents, the index and the annotated page")
    r.add_argument("--with-code", action="store_true",
                   help="show the code cells (default: hidden behind a 'show code' button)")
    r.add_argument("--no-input", action="store_true", help="leave the code out of the HTML entirely")
    r.add_argument("--out", type=Path, default=None, help="output directory (default reports/)")
    r.add_argument("--user-series", type=Path, nargs="*", default=[], help="CSV files of official series")
    r.set_defaults(func=_report)

    a = sub.add_parser("annotate", help="annotate any report text: every figure highlighted by its check",
                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    a.add_argument("report", type=Path, help="report text (UTF-8 or GB18030/GBK)")
    a.add_argument("--out", type=Path, required=True,
                   help="output folder (new, empty, or a previous output of this program)")
    a.add_argument("--place", default=None, help="place the report is about (default: read from its title)")
    a.add_argument("--year", type=_year, default=None, help="report year if the title line lacks it")
    a.add_argument("--user-series", type=Path, nargs="*", default=[], help="CSV files of official series")
    a.add_argument("--as-of", type=_as_of, default="2022-02-17", help="information set: YYYY-MM-DD or 'latest'")
    a.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the page")
    a.set_defaults(func=_annotate)

    a = sub.add_parser("audit", help="reconcile any place's structured claims with its observations")
    a.add_argument("--place", required=True, help="the place the claims are about, e.g. 南昌县")
    a.add_argument("--claims", type=Path, required=True, help="structured claims CSV (see data/raw/other_county)")
    a.add_argument("--observations", type=Path, required=True, help="observations CSV (observations.csv columns + place)")
    a.add_argument("--sources", type=Path, default=None,
                   help="sources CSV; without it the observations must carry the user-series source columns")
    a.add_argument("--as-of", type=_as_of, default="latest", help="information set: YYYY-MM-DD or 'latest'")
    a.add_argument("--lang", choices=("zh", "en"), default="en", help="label language of the page")
    a.add_argument("--out", type=Path, required=True, help="output folder (new, empty, or a previous run's)")
    a.set_defaults(func=_audit)

    args = parser.parse_args(argv)
    import warnings

    def _show(message, category, *_a, **_k) -> None:  # one plain line, no source location
        print(f"warning: {message}", file=sys.stderr)

    warnings.showwarning = _show
    _DONE.clear()
    try:
        args.func(args)
    except LinhaiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # missing file, a folder for a file, read-only target, full disk
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if "what" in _DONE:
            print(f"interrupted after the output was written: {_DONE['what']} is complete", file=sys.stderr)
        else:
            print("interrupted: nothing was written", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
