"""The pages of the static site: what they show, computed from the data
(:mod:`olapcli.core.derive.grids`), and their templates (HTML and Markdown)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from olapcli.core import rules
from olapcli.core.cohortdata import CohortData
from olapcli.core.derive import metrics
from olapcli.core.derive.board import sections
from olapcli.core.derive.grids import matches, open_needs, subject_index, synoptic
from olapcli.core.model import Learner
from olapcli.i18n import _
from olapcli.render import render, verdicts
from olapcli.render.formats import percent

#: the page formats, and the templates' suffix for each
FORMATS = {"html": (".html",), "md": (".md",), "both": (".html", ".md")}


def page(template: str, ext: str, depth: int, **values: Any) -> str:
    """One page: *template* (without suffix) in the format of *ext*, *depth* folders
    below the site's root."""
    name = template + (".html.j2" if ext == ".html" else ".md.j2")
    return render(name, root="../" * depth, ext=ext, **values)


def markdown_page(rel: str, data: bytes) -> str:
    """The HTML page of a Markdown resource file *rel* (``resources/files/x.md``…), shown
    the way the site shows a need's detail (no raw HTML, safe links), beside its copy."""
    name = rel.rsplit("/", 1)[-1]
    text = data.decode("utf-8", "replace")
    return page("resource_md", ".html", rel.count("/") + 1, title=name, text=text, source=name)


def context(base: CohortData, learners: list[Learner], today: dt.date) -> dict[str, Any]:
    """What every page of the site shows or links to."""
    assert base.cohort is not None and base.referentiel is not None
    subjects = base.subjects.subjects if base.subjects else []
    subject_titles = {s.id: (s.title, {o.id: o.title for o in s.objectives}) for s in subjects}
    own: dict[str, dict[str, list[Any]]] = {}
    for lid, files in base.own_resources.items():
        for _rel, res in files:
            own.setdefault(lid, {})[res.activity] = list(res.resources)
    activities = list(rules.activities(base.referentiel))
    counts = {}
    for learner in learners:
        open_ = open_needs(learner)
        counts[learner.id] = (len(open_), sum(n.due < today for n in open_))
    deposits: dict[str, list[tuple[Learner, list[Any]]]] = {}
    for learner in learners:
        for activity, mine in own.get(learner.id, {}).items():
            deposits.setdefault(activity, []).append((learner, mine))
    # people by their names on every page, never by the slug of their file
    learner_names = {x.id: f"{x.first_name} {x.last_name}" for x in learners}
    return {
        "deposits": deposits,
        "kind_labels": {
            "video": _("video"),
            "document": _("document"),
            "exercise": _("exercise"),
            "tutorial": _("tutorial"),
            "evaluation": _("evaluation sheet"),
            "other": _("other"),
        },
        "cohort": base.cohort,
        "referentiel": base.referentiel,
        "subjects": subjects,
        "subject_titles": subject_titles,
        "resources": {a: r for a, (_rel, r) in base.resources.items()},
        "own": own,
        "learners": learners,
        "activities": activities,
        "counts": counts,
        "cells": synoptic(learners, base.referentiel, today),
        "matches": matches(learners),
        "subject_links": subject_index(learners, base.referentiel),
        "today": today,
        "trainer_names": {t.id: f"{t.first_name} {t.last_name}" for t in base.cohort.trainers},
        "learner_names": learner_names,
        # the home page: what to follow today (as olap serve's dashboard)
        "board": sections(learners, base.cohort, today),
        "label": label_progress(base.cohort, learners, today, learner_names),
        "titles": rules.subject_titles(base.referentiel, base.cohort),
    }


def label_progress(
    cohort: Any, learners: list[Learner], today: dt.date, names: dict[str, str]
) -> dict[str, Any] | None:
    """Where the cohort stands toward the label « proactivité pour l'emploi » today: what
    it asks, the share of the learners judged who meet it so far (needs counted up to
    today, on the units begun), and who falls short, by name. None before the start."""
    if today < cohort.start:
        return None
    table = metrics.rows(cohort, learners, end=today)
    lab = metrics.label(cohort, table, end=today)
    judged = len(table) - len(lab.exempt)
    return {
        "rule": verdicts.label_rule(lab, {p.id: p.label for p in cohort.practices}),
        "share": percent(lab.share),
        "width": round(100 * lab.share),
        "required": percent(lab.required_share),
        "threshold": round(100 * lab.required_share),
        "meeting": judged - len(lab.short),
        "judged": judged,
        "reached": lab.granted,
        "short": [
            (
                s["learner"],
                names.get(s["learner"], s["learner"]),
                verdicts.shortfall(s["missing"], lab.per),
            )
            for s in lab.short
        ],
    }
