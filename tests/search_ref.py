"""The contract search (Annexe 2) counted again from the learner files with PyYAML, by
the rules of docs/metrics.md (« The contract search ») and docs/format.md alone — nothing
from ``olapcli``: what the CSV of ``olap metrics`` and the rows of ``olap export
observatoire`` say is checked against this."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path
from typing import Any

import yaml


def by_hand(
    root: Path, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, dict[str, Any]]:
    """Learner key -> the search of that learner: ``prospects`` (companies first contacted
    within the dates), ``needs`` (needs naming one of them), ``internships`` (those that
    reached ``stage``), ``contracts`` (``contrat-signe``) and ``days`` (first contact to
    contract, one per contract, sorted). Every learner of the cohort is there."""
    out = {}
    for path in sorted((root / "learners").glob("*.yaml")):
        learner = yaml.safe_load(path.read_text(encoding="utf-8"))
        kept = []
        for p in learner.get("prospects") or []:
            stages = p.get("stages") or []
            if not stages:
                continue
            first = stages[0]["date"]
            if (start and first < start) or (end and first > end):
                continue
            kept.append((p["id"], first, {s["stage"]: s["date"] for s in stages}))
        ids = [pid for pid, _first, _stages in kept]
        needs = learner.get("needs") or []
        out[learner["key"]] = {
            "prospects": len(kept),
            "needs": sum(n.get("prospect") in ids for n in needs),
            "internships": sum("stage" in reached for _i, _f, reached in kept),
            "contracts": sum("contrat-signe" in reached for _i, _f, reached in kept),
            "days": sorted(
                (reached["contrat-signe"] - first).days
                for _i, first, reached in kept
                if "contrat-signe" in reached
            ),
        }
    return out


def total(found: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The cohort's search: the learners' counts added up, their days put together."""
    return {
        "prospects": sum(f["prospects"] for f in found.values()),
        "needs": sum(f["needs"] for f in found.values()),
        "internships": sum(f["internships"] for f in found.values()),
        "contracts": sum(f["contracts"] for f in found.values()),
        "days": sorted(d for f in found.values() for d in f["days"]),
    }


def per_company(search: dict[str, Any]) -> float | None:
    """Needs per company contacted (None: no company)."""
    return search["needs"] / search["prospects"] if search["prospects"] else None


def median_days(search: dict[str, Any]) -> float | None:
    """The median of the days to the contract (None: no contract)."""
    return float(statistics.median(search["days"])) if search["days"] else None


#: the counts of a learner's search, as :func:`by_hand` gives them (``days`` aside)
FIELDS = ("prospects", "needs", "internships", "contracts")
