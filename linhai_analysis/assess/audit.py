"""Audit any place: its structured claims against its observations, with the same
place-aware reconciliation as Linhai's (:func:`linhai_analysis.assess.reconcile.reconcile`).

Claims whose indicator code the catalog does not hold are not dropped: they appear
in the verdict table as ``not_checkable`` with the reason the code was refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..data.places import canonical_place
from ..data.vintage import Vintage
from .reconcile import RESULT_COLUMNS, reconcile

#: Columns of the audit's verdict table: reconcile's, plus where each claim came from.
AUDIT_COLUMNS = RESULT_COLUMNS + ["claims_file", "claims_line", "as_of"]
REFUSED_VERDICT_TEXT = "not checkable: indicator code refused (not in the catalog)"


@dataclass(frozen=True)
class Audit:
    """The result of :func:`audit_place`.

    Attributes
    ----------
    place : str
        Canonical name of the place.
    as_of : str
        Information set used (``latest`` for everything).
    verdicts : pandas.DataFrame
        One row per claim of the file, in file order (:data:`AUDIT_COLUMNS`).
    claims : pandas.DataFrame
        The claims table that was reconciled.
    refused : pandas.DataFrame
        Claims whose indicator code was refused, with the reason.
    observations : pandas.DataFrame
        The place's processed observations (including the reports' own levels).
    sources : pandas.DataFrame
        The sources, with ``source_reliability``.
    """

    place: str
    as_of: str
    verdicts: pd.DataFrame
    claims: pd.DataFrame
    refused: pd.DataFrame
    observations: pd.DataFrame
    sources: pd.DataFrame


def _without_code(reason: str) -> str:
    """A refusal's reason without the refused code (the page names the claims file and
    line instead; the code stays in the ``indicator`` column of the table)."""
    return re.sub(r"^indicator '[^']*' is refused, not guessed: ", "", str(reason))


def audit_place(place: str, claims_file: Path, observations_file: Path, sources_file: Path | None = None,
                *, as_of: str | None = None, verify: bool | None = None) -> Audit:
    """Reconcile a place's structured claims with its observations.

    Parameters
    ----------
    place : str
        The place the claims are about (rows naming another place are an error).
    claims_file, observations_file, sources_file : Path
        The three files (see :mod:`linhai_analysis.data.place_files`). Without
        ``sources_file`` the observations file must carry the source columns of
        ``docs/user_series_template.csv``; the claims' reports are then taken as
        work reports.
    as_of : str, optional
        ``YYYY-MM-DD``: only what was published by then; ``None``/``latest``: all.
    verify : bool, optional
        Verify sha256 against sidecars (default: where a sidecar exists).

    Returns
    -------
    Audit

    Raises
    ------
    DataValidationError
        Naming file, line and field of every problem in the inputs.
    """
    from ..data.place_files import load_place_claims, place_observations

    place = canonical_place(place)
    if sources_file is not None:
        from ..data.place_files import load_place_sources

        sources = load_place_sources(sources_file, verify=verify)
        claims, refused = load_place_claims(claims_file, place=place, sources=sources, verify=verify)
        obs, sources = place_observations(observations_file, sources_file, claims=claims, verify=verify)
    else:
        obs, sources = _observations_without_sources_file(observations_file, claims_file, place, verify)
        claims, refused = load_place_claims(claims_file, place=place, verify=verify)
    recon = reconcile(claims, Vintage(obs, as_of=as_of))  # the information set: figures published by as_of
    recon = recon.merge(claims[["claim_id", "file", "line"]].rename(
        columns={"file": "claims_file", "line": "claims_line"}), on="claim_id", how="left")
    rows = [{
        "claim_id": f"{r['report']}-{r['line'] - 1:03d}", "report": r["report"], "place": r["place"],
        "indicator": r["indicator"], "indicator_text": f"not in the catalog ({r['file']}, line {r['line']})",
        "kind": r["kind"], "period_start": r["year"], "period_end": r["year"],
        "claimed": f"{r['value']}{r['unit']}", "verdict": "not_checkable", "verdict_text": REFUSED_VERDICT_TEXT,
        "independent": False, "evidence": "", "sub_area": "", "source_caveats": "",
        "explanation": f"Refused, not guessed: {_without_code(r['reason'])}.", "claims_file": r["file"],
        "claims_line": r["line"]} for _, r in refused.iterrows()]
    parts = [recon] + ([pd.DataFrame(rows)] if rows else [])
    out = pd.concat(parts, ignore_index=True) if rows else recon
    out = out.assign(as_of=as_of or "latest").sort_values("claims_line", kind="mergesort")
    return Audit(place, as_of or "latest", out[AUDIT_COLUMNS].reset_index(drop=True), claims, refused, obs, sources)


def _observations_without_sources_file(observations_file: Path, claims_file: Path, place: str,
                                       verify: bool | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observations in the user-series shape: sources come from its rows, plus one
    work-report source per report named in the claims file."""
    from ..data.indicators import row_sub_area
    from ..data.load import PROCESSED_COLUMNS, assemble
    from ..data.place_files import load_place_claims, report_levels, source_reliability
    from ..data.sources import load_user_series, validate_sources

    claims, _ = load_place_claims(claims_file, place=place, verify=verify)
    reports = pd.DataFrame({"source_id": sorted(set(claims["report"])), "source_kind": "work_report",
                            "title": "", "publisher": "", "url": "", "document_date": "",
                            "note": "a report of the claims file (no sources file given)"})
    obs, new = load_user_series(Path(observations_file), validate_sources(reports, "claims"))
    new = new.assign(note=new.get("note", ""))
    sources = pd.concat([reports, new[~new["source_id"].isin(reports["source_id"])]], ignore_index=True)
    sources["source_reliability"] = sources["note"].map(source_reliability)
    obs = obs.assign(sub_area="")
    raw = pd.concat([obs, report_levels(claims)], ignore_index=True)
    raw["sub_area"] = [row_sub_area(c, s) for c, s in zip(raw["indicator"], raw["sub_area"], strict=True)]
    table = assemble(raw, sources)
    rel = sources.set_index("source_id")["source_reliability"]
    table["source_reliability"] = table["source_id"].map(rel).fillna("")
    return table[PROCESSED_COLUMNS + ["sub_area", "source_reliability"]], sources


def verdict_counts(audits: list[Audit]) -> pd.DataFrame:
    """Verdicts per place and information set: one row per (place, as_of, verdict)."""
    rows = [{"place": a.place, "as_of": a.as_of, "verdict": v, "claims": int(n)}
            for a in audits for v, n in a.verdicts["verdict"].value_counts(sort=False).sort_index().items()]
    return pd.DataFrame(rows, columns=["place", "as_of", "verdict", "claims"])
