"""Measure the claims extractor against the hand-checked ground truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..data import paths
from ..data.provenance import read_verified_bytes

GT_COLUMNS = ["gt_id", "section_kind", "indicator", "indicator_text", "kind", "value", "unit",
              "comparator", "ref_year", "span_start", "span_end", "printed", "is_headline", "note"]


def load_ground_truth(path: Path | None = None) -> pd.DataFrame:
    """The hand-checked claims table (checksum verified)."""
    import io

    path = Path(path or paths.GROUND_TRUTH_FILE)
    df = pd.read_csv(io.BytesIO(read_verified_bytes(path)), dtype={"indicator": str}, keep_default_na=False,
                     na_values={"value": [""], "value_from": [""]})
    df["is_headline"] = df["is_headline"].astype(str).eq("True")
    return df


@dataclass(frozen=True)
class Quality:
    """Extractor quality against the ground truth."""

    n_extracted: int
    n_truth: int
    n_matched: int
    precision: float
    recall: float
    headline_recall: float
    indicator_accuracy: float


def match_claims(extracted: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Pair extracted claims with ground-truth rows one to one.

    A pair needs the same kind and value and overlapping spans. Returns the truth
    rows with ``claim_id`` (empty where nothing matched) and ``indicator_extracted``.
    """
    used: set[int] = set()
    ids, inds = [], []
    for _, t in truth.iterrows():
        cand = extracted[(extracted["kind"] == t["kind"]) & ((extracted["value"] - float(t["value"])).abs() < 1e-9)
                         & (extracted["span_start"] < t["span_end"]) & (extracted["span_end"] > t["span_start"])]
        cand = cand[~cand.index.isin(used)]
        if cand.empty:
            ids.append("")
            inds.append("")
            continue
        used.add(cand.index[0])
        ids.append(cand.iloc[0]["claim_id"])
        inds.append(cand.iloc[0]["indicator"])
    return truth.assign(claim_id=ids, indicator_extracted=inds)


def extractor_quality(extracted: pd.DataFrame, truth: pd.DataFrame | None = None) -> tuple[Quality, pd.DataFrame]:
    """Precision, recall, headline recall and indicator-code accuracy.

    Headline claims count as recalled only when the indicator code matches too.
    """
    truth = load_ground_truth() if truth is None else truth
    m = match_claims(extracted, truth)
    matched = m["claim_id"].ne("")
    head = m[m["is_headline"]]
    head_ok = head["claim_id"].ne("") & head["indicator_extracted"].eq(head["indicator"])
    q = Quality(
        n_extracted=len(extracted), n_truth=len(truth), n_matched=int(matched.sum()),
        precision=matched.sum() / len(extracted) if len(extracted) else 0.0,
        recall=matched.sum() / len(truth),
        headline_recall=head_ok.mean() if len(head) else 1.0,
        indicator_accuracy=(m.loc[matched, "indicator_extracted"] == m.loc[matched, "indicator"]).mean(),
    )
    return q, m
