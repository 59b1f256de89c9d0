"""The cycle's twelve steps (issue 14, point 3): a need's ``steps`` written as dates (as
before) or as mappings {date, by, notes}; what validate says of a wrong one, at its line
and column; and the lints of a cycle recorded out of order."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from tests.cli.test_validate import LEA, line_of
from tests.conftest import SAMPLE, edit

TART = "b20251029-aef4f607ed"  # lea-martin: prepared, applied, valorised, advantage
BANQUET = "b20260218-3349ea4917"  # lea-martin: applied only, evaluated
SAUCE = "b20260102-5a681b917a"  # lea-martin: no steps, evaluated
OLD_TART_STEPS = (
    "    steps:\n"
    "      prepared: 2025-10-31\n"
    "      applied: 2025-11-05\n"
    "      valorised: 2025-11-07\n"
)
TWELVE_TART_STEPS = (
    "    steps:\n"
    "      contracted: 2025-09-08\n"
    "      coached: {date: 2025-09-15, by: formateur}\n"
    "      questioned: {date: 2025-10-28, by: alternant}\n"
    '      supported: {date: 2025-10-28, by: formateur, notes: "appel avec le patron"}\n'
    "      collected: 2025-10-29\n"
    "      advised: {date: 2025-10-30, by: formateur}\n"
    "      technical:\n"
    "        date: 2025-10-31\n"
    "        by: formateur\n"
    '        notes: "Cuisson de la meringue, four plein"\n'
    '      general: {date: 2025-10-31, by: formateur, notes: "Proportions en maths"}\n'
    "      prepared: 2025-10-31\n"
    "      briefed: {date: 2025-11-03, by: formateur}\n"
    "      applied: {date: 2025-11-05, by: alternant}\n"
    "      valorised: {date: 2025-11-07, by: entreprise}\n"
    "      negotiated: {date: 2025-11-07, by: alternant}\n"
)


def problems(olap, root: Path, *codes: str) -> list[dict[str, object]]:
    result = olap("-C", root, "validate", "--format", "json")
    return [p for p in json.loads(result.stdout) if p["code"] in codes and p["path"] == LEA]


def test_the_twelve_steps_in_both_spellings_are_valid(olap, cohort_dir):
    edit(cohort_dir / LEA, OLD_TART_STEPS, TWELVE_TART_STEPS)
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 0, result.output
    found = json.loads(result.stdout)
    assert [p for p in found if p["severity"] == "error"] == []
    assert [p for p in found if TART in p["message"]] == []


def test_the_sample_written_before_the_twelve_steps_stays_valid(olap):
    # no migration: every file of the sample is read with the meaning it had
    result = olap("-C", SAMPLE, "validate", "--format", "json")
    assert result.code == 0
    assert {p["severity"] for p in json.loads(result.stdout)} == {"warning"}


def test_an_unknown_step_is_an_error_at_its_key_with_the_step_meant(olap, cohort_dir):
    edit(cohort_dir / LEA, "      prepared: 2025-10-31\n", "      prepard: 2025-10-31\n")
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1
    found = [p for p in json.loads(result.stdout) if p["code"] == "unknown-key"]
    n = line_of(cohort_dir / LEA, "prepard:")
    assert [(p["path"], p["line"], p["col"]) for p in found] == [(LEA, n, 7)]
    assert found[0]["message"] == "clé inconnue « prepard »"
    assert found[0]["hint"] == "vouliez-vous dire « prepared » ?"


def test_a_step_by_someone_else_than_the_three_actors_is_an_error(olap, cohort_dir):
    edit(
        cohort_dir / LEA,
        "      applied: 2025-11-05\n",
        "      applied: {date: 2025-11-05, by: patron}\n",
    )
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1
    [found] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    n = line_of(cohort_dir / LEA, "by: patron")
    assert (found["path"], found["line"], found["col"]) == (LEA, n, 39)
    assert found["message"] == ("« patron » n'est pas permis pour « needs[1].steps.applied.by »")
    assert "entreprise" in str(found["hint"]) and "alternant" in str(found["hint"])


def test_a_step_dated_in_words_is_an_invalid_date_at_its_value(olap, cohort_dir):
    edit(cohort_dir / LEA, "      applied: 2025-11-05\n", "      applied: mardi\n")
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1
    [found] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    n = line_of(cohort_dir / LEA, "applied: mardi")
    assert (found["path"], found["line"], found["col"], found["code"]) == (
        LEA,
        n,
        16,
        "invalid-date",
    )
    assert found["message"] == "date invalide « mardi » dans « needs[1].steps.applied »"


def test_a_step_without_its_date_is_an_error(olap, cohort_dir):
    edit(
        cohort_dir / LEA,
        "      applied: 2025-11-05\n",
        '      applied: {by: alternant, notes: "fait"}\n',
    )
    result = olap("-C", cohort_dir, "validate", "--format", "json")
    assert result.code == 1
    [found] = [p for p in json.loads(result.stdout) if p["severity"] == "error"]
    assert found["code"] == "missing-field"
    assert found["message"] == "champ obligatoire « needs[1].steps.applied.date » absent"
    assert found["line"] == line_of(cohort_dir / LEA, "applied: {by")


# --- the lints (check « cycle ») ---------------------------------------------------------


def test_applied_without_preparation_is_said_at_the_applied_step(olap, cohort_dir):
    # the banquet was applied on 2026-02-27 with nothing recorded of its preparation
    [found] = problems(olap, cohort_dir, "applied-unprepared")
    n = line_of(cohort_dir / LEA, "applied: 2026-02-27")
    assert (found["path"], found["line"], found["col"], found["severity"]) == (
        LEA,
        n,
        16,
        "warning",
    )
    assert found["message"] == (
        f"le besoin {BANQUET} a été appliqué en entreprise sans préparation enregistrée"
    )
    assert f"olap need step lea-martin {BANQUET} --technical" in str(found["hint"])


def test_a_course_or_advice_is_a_preparation(olap, cohort_dir):
    for step in ("technical", "general", "advised", "prepared"):
        copy = cohort_dir.parent / step
        shutil.copytree(cohort_dir, copy)
        edit(
            copy / LEA,
            "      applied: 2026-02-27\n",
            f"      {step}: {{date: 2026-02-20, by: formateur}}\n      applied: 2026-02-27\n",
        )
        assert problems(olap, copy, "applied-unprepared") == [], step


def test_evaluated_or_valorised_without_being_applied(olap, cohort_dir):
    # the tart: valorised but its application removed; the sauce: evaluated, a step
    # recorded, never applied
    edit(cohort_dir / LEA, "      applied: 2025-11-05\n", "")
    edit(
        cohort_dir / LEA,
        '      - "https://ressources.cfa-metiers-bouche.example/tutos/emulsion"\n',
        '      - "https://ressources.cfa-metiers-bouche.example/tutos/emulsion"\n'
        "    steps:\n"
        "      technical: 2026-01-05\n",
    )
    found = problems(olap, cohort_dir, "evaluated-unapplied")
    assert [(p["line"], p["message"]) for p in found] == [
        (
            line_of(cohort_dir / LEA, "2nd:    steps:"),
            f"le besoin {TART} est évalué sans avoir été appliqué en entreprise",
        ),
        (
            line_of(cohort_dir / LEA, "technical: 2026-01-05") - 1,
            f"le besoin {SAUCE} est évalué sans avoir été appliqué en entreprise",
        ),
    ]
    assert f"olap need step lea-martin {SAUCE} --applied" in str(found[1]["hint"])


def test_an_evaluated_need_that_records_no_step_is_not_said(olap, cohort_dir):
    # the sauce is evaluated and records no step: nothing is known of its cycle
    assert [p for p in problems(olap, cohort_dir, "evaluated-unapplied")] == []


def test_a_step_before_the_need_was_identified(olap, cohort_dir):
    edit(
        cohort_dir / LEA,
        "      prepared: 2025-10-31\n",
        "      contracted: 2025-09-01\n"  # before, by nature: not said
        "      questioned: 2025-10-20\n"  # before, by nature: not said
        "      collected: {date: 2025-10-28, by: formateur}\n"
        "      prepared: 2025-10-31\n",
    )
    [found] = problems(olap, cohort_dir, "step-before-identified")
    assert found["line"] == line_of(cohort_dir / LEA, "collected:")
    assert found["message"] == (
        f"le besoin {TART} : l'étape « demandes recueillies au centre » est datée du "
        "2025-10-28, avant l'identification du besoin (2025-10-29)"
    )


def test_strict_makes_the_cycle_lints_errors(olap, cohort_dir):
    result = olap("-C", cohort_dir, "validate", "--strict", "--format", "json")
    codes = {p["code"]: p["severity"] for p in json.loads(result.stdout)}
    assert codes["applied-unprepared"] == "error"


def test_a_course_before_the_due_date_counts_as_prepared_in_the_figures(cohort_dir):
    from olapcli.core import model
    from olapcli.core.derive import briefs
    from olapcli.io import yamlread

    def banquet(text: str) -> briefs.NeedBrief:
        learner = model.Learner.model_validate(yamlread.load(text))
        return next(n for n in briefs.of(learner).needs if n.id == BANQUET)

    text = (cohort_dir / LEA).read_text(encoding="utf-8")
    assert banquet(text).prepared is None
    text = text.replace(
        "      applied: 2026-02-27\n",
        "      general: {date: 2026-02-24, by: formateur}\n"
        "      technical: 2026-02-20\n"
        "      applied: {date: 2026-02-27, by: alternant}\n",
    )
    need = banquet(text)
    assert (need.prepared, need.applied) == (dt.date(2026, 2, 20), dt.date(2026, 2, 27))


# --- where each need stands: the learner's page of olap render --------------------------


def test_the_grid_shows_where_each_need_stands(olap, cohort_dir, tmp_path):
    edit(
        cohort_dir / LEA,
        OLD_TART_STEPS + '      advantage: "Responsable des tartes du week-end en autonomie"\n',
        "    steps:\n"
        "      collected: 2025-10-29\n"
        '      technical: {date: 2025-10-31, by: formateur, notes: "meringue"}\n',
    )
    out = tmp_path / "site"
    assert olap("-C", cohort_dir, "render", "--out", out, "--format", "both").code == 0
    html = (out / "alternants/lea-martin.html").read_text(encoding="utf-8")
    md = (out / "alternants/lea-martin.md").read_text(encoding="utf-8")
    # the tart: a technical course, then evaluated by the company (step 11)
    assert "étape 11/12 : évalué et valorisé" in md
    assert "<li>cours technique : 2025-10-31 (formateur)</li>" in html
    assert "<li>demandes recueillies au centre : 2025-10-29</li>" in html
    assert '<li class="muted">appliqué en entreprise</li>' in html
    assert html.count('<details class="cycle">') == 6  # one per need
    # the buffet (evaluated, no step): step 11 from its evaluation by the company
    assert "<li>évalué et valorisé : 2026-04-20 (entreprise)</li>" in html


def test_a_need_with_no_step_says_so(olap, cohort_dir, tmp_path):
    edit(cohort_dir / LEA, "    need: b20260302-234f9527d5\n", "")  # the theatre need: open
    out = tmp_path / "site"
    assert olap("-C", cohort_dir, "render", "--out", out, "--format", "md").code == 0
    md = (out / "alternants/lea-martin.md").read_text(encoding="utf-8")
    assert "aucune étape notée" in md


# --- olap need step: every step, with who did it ------------------------------------------


def test_need_step_records_new_steps_with_who_did_them(olap, cohort_repo):
    from tests.conftest import git

    r = olap(
        "-C", cohort_repo, "need", "step", "lea-martin", SAUCE,
        "--collected", "2026-01-02", "--technical", "2026-01-05", "--by", "formateur",
        "--commit",
    )  # fmt: skip
    assert r.code == 0, r.output
    text = (cohort_repo / LEA).read_text(encoding="utf-8")
    assert (
        '      - "https://ressources.cfa-metiers-bouche.example/tutos/emulsion"\n'
        "    steps:\n"
        "      collected: {date: 2026-01-02, by: formateur}\n"
        "      technical: {date: 2026-01-05, by: formateur}\n"
        "  - id: b20260218"
    ) in text
    assert "Cours technique" in r.stdout and "2026-01-05 (formateur)" in r.stdout
    assert git(cohort_repo, "status", "--porcelain").strip() == ""
    assert olap("-C", cohort_repo, "validate").code == 0


def test_need_step_writes_a_step_in_the_cycles_order(olap, cohort_repo):
    r = olap("-C", cohort_repo, "need", "step", "lea-martin", TART, "--technical", "2025-10-30")
    assert r.code == 0, r.output
    text = (cohort_repo / LEA).read_text(encoding="utf-8")
    assert "    steps:\n      technical: 2025-10-30\n      prepared: 2025-10-31\n" in text


def test_need_step_refusals_leave_every_file_as_it_was(refused, cohort_repo):
    base = ("-C", cohort_repo, "need", "step", "lea-martin", SAUCE)
    result = refused(cohort_repo, *base, "--technical", "2026-01-05", "--by", "patron")
    assert "« patron » n'est pas l'un des acteurs." in result.stderr
    assert "entreprise, formateur, alternant" in result.stderr
    result = refused(cohort_repo, *base, "--advantage", "Prime", "--by", "entreprise")
    assert "--by dit qui a fait une étape" in result.stderr
    result = refused(cohort_repo, *base, "--technical", "le jour du cours")
    assert "--technical" in result.stderr
    result = refused(cohort_repo, *base, "--by", "formateur")
    assert "Rien à enregistrer" in result.stderr
    result = refused(cohort_repo, *base, "--briefing", "2026-01-05")  # no such step
    assert "--briefing" in result.stderr
