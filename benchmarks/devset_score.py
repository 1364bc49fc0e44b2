"""Score the claims extractor on the development set of real county report openings.

Usage::

    PYTHONPATH=. python benchmarks/devset_score.py [--texts /work/devset_texts] [--verbose]

Each page's text is ``<texts>/<page_id>.txt`` (kept outside git; see
``benchmarks/devset/README.md`` for how to rebuild the folder). Claims whose span starts
at or after the page's ``chars_used`` are ignored. An extracted claim matches a label of
the same page with the same value and a compatible unit (same unit, or same dimension);
matching is one to one, in text order. Recall = matched labels / labels, precision =
matched claims / claims scored. Kind and comparator agreement are reported on the
matched pairs.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from pathlib import Path

import pandas as pd

from linhai_analysis.claims.extract import extract_claims, get_unit
from linhai_analysis.claims.text import normalize_width

HERE = Path(__file__).resolve().parent / "devset"
DEFAULT_TEXTS = Path("/work/devset_texts")
_UNIT_ALIASES = {"％": "%", "百分点": "个百分点"}
_SPACE = re.compile(r"\s+")


def _dimension(unit: str) -> str | None:
    try:
        return get_unit(_UNIT_ALIASES.get(unit, unit)).dimension  # catalogue or extractor extras
    except Exception:  # an unknown unit: compared by name only
        return None


def units_compatible(a: str, b: str) -> bool:
    """Same unit after aliasing, or the same known dimension other than ``count``-like
    mismatches (``家`` and ``个`` are both counts and match)."""
    # a unit printed across a wrap (平方公 里) or in traditional characters (億元) is the unit
    a, b = normalize_width(_SPACE.sub("", a)), normalize_width(_SPACE.sub("", b))
    a, b = _UNIT_ALIASES.get(a, a), _UNIT_ALIASES.get(b, b)
    if a == b:
        return True
    da, db = _dimension(a), _dimension(b)
    return da is not None and da == db


def match_page(claims: pd.DataFrame, labels: pd.DataFrame) -> tuple[list[int | None], set[int]]:
    """One-to-one matching of one page's labels (in order) to its claims.

    Returns, for each label, the matched claim's index (or None), and the set of
    matched claim indices.
    """
    used: set[int] = set()
    out: list[int | None] = []
    for _, lab in labels.iterrows():
        hit = None
        for i, c in claims.iterrows():
            if i in used or abs(float(c["value"]) - float(lab["value"])) > 1e-9:
                continue
            if units_compatible(str(c["unit"]), str(lab["unit"])):
                hit = i
                break
        if hit is not None:
            used.add(hit)
        out.append(hit)
    return out, used


def score(texts: Path, verbose: bool = False) -> pd.DataFrame:
    """Score every page; print per-province and overall recall/precision.

    Returns the per-province table (``province, pages, labels, matched, claims,
    recall, precision``) with an ``ALL`` row.
    """
    pages = pd.read_csv(HERE / "pages.csv")
    labels = pd.read_csv(HERE / "labels.csv", dtype={"value_text": str})
    rows, misses, fps, disagree = [], [], [], []
    for _, p in pages.iterrows():
        path = texts / f"{p['page_id']}.txt"
        if not path.exists():
            print(f"missing text file, skipped: {path}", file=sys.stderr)
            continue
        text = path.read_text(encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = extract_claims(text, name=p["page_id"])
        df = df[df["span_start"] < int(p["chars_used"])].reset_index(drop=True)
        lab = labels[labels["page_id"] == p["page_id"]].reset_index(drop=True)
        hits, used = match_page(df, lab)
        for (_, l_row), h in zip(lab.iterrows(), hits, strict=True):
            if h is None:
                misses.append((p["page_id"], l_row["value_text"], l_row["unit"], l_row["kind"]))
            else:
                c = df.loc[h]
                if c["kind"] != l_row["kind"] or c["comparator"] != l_row["comparator"]:
                    disagree.append((p["page_id"], l_row["value_text"], l_row["unit"],
                                     f"{l_row['kind']}/{l_row['comparator']}", f"{c['kind']}/{c['comparator']}"))
        for i, c in df.iterrows():
            if i not in used:
                fps.append((p["page_id"], c["value_text"], c["unit"], c["kind"],
                            text[max(0, c["span_start"] - 12): c["span_end"] + 4].replace("\n", "⏎")))
        kind_ok = sum(1 for (_, l_row), h in zip(lab.iterrows(), hits, strict=True)
                      if h is not None and df.loc[h, "kind"] == l_row["kind"])
        cmp_ok = sum(1 for (_, l_row), h in zip(lab.iterrows(), hits, strict=True)
                     if h is not None and df.loc[h, "comparator"] == l_row["comparator"])
        rows.append(dict(province=p["province"], labels=len(lab), matched=sum(h is not None for h in hits),
                         claims=len(df), kind_ok=kind_ok, cmp_ok=cmp_ok))
    res = pd.DataFrame(rows)
    table = res.groupby("province").agg(pages=("labels", "size"), labels=("labels", "sum"),
                                        matched=("matched", "sum"), claims=("claims", "sum"),
                                        kind_ok=("kind_ok", "sum"), cmp_ok=("cmp_ok", "sum"))
    table.loc["ALL"] = table.sum()
    table["recall"] = (table["matched"] / table["labels"]).round(3)
    table["precision"] = (table["matched"] / table["claims"].where(table["claims"] > 0)).round(3)
    table["kind_agree"] = (table["kind_ok"] / table["matched"].where(table["matched"] > 0)).round(3)
    table["cmp_agree"] = (table["cmp_ok"] / table["matched"].where(table["matched"] > 0)).round(3)
    table = table.drop(columns=["kind_ok", "cmp_ok"])
    print(table.to_string())
    if verbose:
        print(f"\nmisses ({len(misses)}):")
        for m in misses:
            print("  ", *m)
        print(f"\nfalse positives ({len(fps)}):")
        for f in fps:
            print("  ", *f)
        print(f"\nmatched, kind/comparator differ ({len(disagree)}): label -> extracted")
        for d in disagree:
            print("  ", *d)
    return table


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="folder of <page_id>.txt files")
    ap.add_argument("--verbose", action="store_true", help="list misses, false positives, disagreements")
    args = ap.parse_args(argv)
    score(args.texts, args.verbose)


if __name__ == "__main__":
    main()
