"""Practice grids (issue 14, points 2 and 4): a practice's own competence grid in
cohort.yaml, needs naming a competence of it, the learner's notes, the company's
evaluation on the return; validate's errors and the fidelity lints of Annexe 8; the grid
on the site, on olap serve and in the report, counted here from the files."""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import pytest
import yaml

from olapcli.io import yamlread
from tests.conftest import edit

THEO = "learners/theo-garnier.yaml"
THEO_NEED = "b20260323-0a2cd76669"


def problems(olap, root, *codes):
    result = olap("-C", root, "validate", "--format", "json")
    return [p for p in json.loads(result.stdout) if p["code"] in codes], result


def line_of(root, rel, fragment):
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if fragment in line)


def test_the_sample_follows_the_grids(olap, cohort_dir):
    found, result = problems(olap, cohort_dir, "practices", "practice-without-request")
    assert result.code == 0 and found == []
    late, _r = problems(olap, cohort_dir, "practice-not-evaluated", "not-evaluated")
    # Sarah's theatre need has no evaluation at all: the practice's lint says it, once
    sarah = [p for p in late if p["path"] == "learners/sarah-ndiaye.yaml"]
    assert [p["code"] for p in sarah if "b20260105-ca5149e4de" in p["message"]] == [
        "practice-not-evaluated"
    ]


def test_validate_names_a_competence_out_of_the_grid(olap, cohort_dir):
    edit(cohort_dir / THEO, "competence: reussir-sejour", "competence: voler")
    edit(cohort_dir / "learners/hugo-lefevre.yaml", "practice: theatre\n", "practice: qualite\n")
    found, result = problems(olap, cohort_dir, "practices")
    assert result.code == 1
    by_file = {p["path"]: p for p in found}
    theo = by_file[THEO]
    assert theo["line"] == line_of(cohort_dir, THEO, "competence: voler")
    assert "« voler » n'est pas dans la grille de « mobilite »" in theo["message"]
    assert "planifier, se-reperer" in theo["hint"]
    hugo = by_file["learners/hugo-lefevre.yaml"]
    assert "qualite" in hugo["message"] and "n'a pas de grille" in hugo["hint"]
    assert len(found) == 2


def test_a_competence_twice_in_a_grid_is_an_error(olap, cohort_dir):
    edit(cohort_dir / "cohort.yaml", "- id: regard-voix", "- id: client-mecontent")
    found, result = problems(olap, cohort_dir, "practices")
    assert result.code == 1 and [p["path"] for p in found] == ["cohort.yaml"]
    assert found[0]["line"] == line_of(cohort_dir, "cohort.yaml", "- id: client-mecontent") + 2


def test_the_lints_of_annexe_8(olap, cohort_dir):
    # the practice chosen first: a theatre need that names no competence of the grid
    edit(cohort_dir / THEO, "    competence: reussir-sejour\n", "")
    # never evaluated by the company on the return: Théo's evaluation by the trainer only
    path = cohort_dir / THEO
    text = path.read_text(encoding="utf-8")
    at = text.index(f"need: {THEO_NEED}")
    by = text.rindex("by: entreprise", 0, at)
    path.write_text(text[:by] + "by: formateur" + text[by + len("by: entreprise") :])
    found, _r = problems(olap, cohort_dir, "practice-without-request", "practice-not-evaluated")
    theo = sorted((p["code"], p["line"]) for p in found if p["path"] == THEO)
    need_line = line_of(cohort_dir, THEO, f"- id: {THEO_NEED}")
    assert theo == [
        ("practice-not-evaluated", need_line),
        ("practice-without-request", line_of(cohort_dir, THEO, "practice: mobilite")),
    ]
    strict = olap("-C", cohort_dir, "validate", "--strict")
    assert strict.code == 1


def test_need_add_with_a_competence_and_notes(olap, refused, cohort_repo):
    base = ("-C", cohort_repo, "need")
    added = olap(
        *base, "add", "sarah-ndiaye", "--activity", "1.1", "--by", "entreprise",
        "--identified", "2026-11-16", "--due", "2026-11-20", "--detail", "Accueil en anglais",
        "--practice", "mobilite", "--competence", "etrangers",
    )  # fmt: skip
    assert added.code == 0, added.output
    needs = yamlread.load((cohort_repo / "learners/sarah-ndiaye.yaml").read_text())["needs"]
    new = needs[-1]
    assert new["competence"] == "etrangers"
    note = olap(*base, "note", "sarah-ndiaye", new["id"], "--text", "Joué à deux", "--date",
                "2026-11-18", "--commit")  # fmt: skip
    assert note.code == 0, note.output
    needs = yamlread.load((cohort_repo / "learners/sarah-ndiaye.yaml").read_text())["needs"]
    assert [(str(n["date"]), n["text"]) for n in needs[-1]["notes"]] == [
        ("2026-11-18", "Joué à deux")
    ]
    assert olap("-C", cohort_repo, "validate").code == 0
    wrong = refused(
        cohort_repo, *base, "add", "sarah-ndiaye", "--activity", "1.1", "--by", "entreprise",
        "--identified", "2026-11-16", "--due", "2026-11-20", "--detail", "Autre",
        "--practice", "theatre", "--competence", "etrangers",
    )  # fmt: skip
    assert "n'a pas de compétence « etrangers »" in wrong.output
    none = refused(
        cohort_repo, *base, "add", "sarah-ndiaye", "--activity", "1.1", "--by", "entreprise",
        "--identified", "2026-11-16", "--due", "2026-11-20", "--detail", "Autre",
        "--competence", "etrangers",
    )  # fmt: skip
    assert "n'a pas de grille" in none.output
    assert (
        "vide"
        in refused(cohort_repo, *base, "note", "sarah-ndiaye", new["id"], "--text", " ").output
    )
    assert (
        "à venir"
        in refused(
            cohort_repo,
            *base,
            "note",
            "sarah-ndiaye",
            new["id"],
            "--text",
            "x",
            "--date",
            "2026-12-25",
        ).output
    )
    refused(cohort_repo, *base, "note", "sarah-ndiaye", "b-inconnu", "--text", "x")


def expected_grid(root, practice):
    """Per competence: the needs naming it and the company's last level, from the files."""
    cohort = yaml.safe_load((root / "cohort.yaml").read_text(encoding="utf-8"))
    grid = next(p["grid"] for p in cohort["practices"] if p["id"] == practice)
    asked, levels = Counter(), {c["id"]: Counter() for c in grid}
    for path in (root / "learners").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        company = {}
        for e in sorted(data.get("evaluations") or [], key=lambda e: (e["date"], e["id"])):
            if e.get("need") and e["by"] == "entreprise":
                company[e["need"]] = e["level"]
        for n in data.get("needs") or []:
            if n.get("practice") == practice and n.get("competence"):
                asked[n["competence"]] += 1
                levels[n["competence"]][company.get(n["id"], "—")] += 1
    return grid, asked, levels


@pytest.mark.parametrize("practice", ["theatre", "mobilite"])
def test_the_report_counts_each_competence(olap, cohort_dir, practice):
    out = cohort_dir / "rapport.html"
    assert olap("-C", cohort_dir, "report", "--out", out).code == 0
    text = out.read_text(encoding="utf-8")
    start = text.index(f'id="grille-{practice}"')
    table = text[start : text.index("</table>", start)]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    grid, asked, levels = expected_grid(cohort_dir, practice)
    assert [html.unescape(label) for label, _c in rows] == [c["label"] for c in grid]
    for (label, cells), c in zip(rows, grid, strict=True):
        got = [int(x) for x in re.findall(r"<td>(\d+)</td>", cells)]
        want = [asked[c["id"]], *(levels[c["id"]][k] for k in ("A", "EC", "R", "—"))]
        assert got == want, label
    assert sum(asked.values()) >= 2


def test_the_site_and_the_learner_page_show_the_grid(olap, cohort_dir, tmp_path):
    site = tmp_path / "site"
    assert olap("-C", cohort_dir, "render", "--out", site).code == 0
    page = html.unescape((site / "alternants/theo-garnier.html").read_text(encoding="utf-8"))
    assert "La grille « Mobilité européenne »" in page
    assert "Se faire comprendre pour mener une tâche à bien" in page  # the paired competence
    assert "2026-04-02 : Présenter trois plats en anglais" in page  # the learner's note
    assert "A (2026-04-20)" in page  # the company's evaluation on the return
    lea = html.unescape((site / "alternants/lea-martin.html").read_text(encoding="utf-8"))
    assert "La grille « Théâtre (ApprentiScènes) »" in lea and "Mobilité" not in lea


def test_a_competence_stands_for_the_sub_activity(olap, refused, cohort_repo, tmp_path):
    """A need of a practice with a grid may name its competence *instead of* a
    sub-activity (issue 14, point 2): written without ``activity``, evaluated by the
    company on the return without one either, shown on the practice's grid and not on
    the trade grid, carried by the figures with the competence's title."""
    base = ("-C", cohort_repo)
    path = cohort_repo / "learners/sarah-ndiaye.yaml"
    added = olap(
        *base, "need", "add", "sarah-ndiaye", "--by", "entreprise", "--identified",
        "2026-11-16", "--due", "2026-11-20", "--detail", "Accueillir un groupe d'Espagnols",
        "--practice", "mobilite", "--competence", "etrangers", "--commit",
    )  # fmt: skip
    assert added.code == 0, added.output
    new = yamlread.load(path.read_text(encoding="utf-8"))["needs"][-1]
    assert "activity" not in new and new["competence"] == "etrangers"
    listed = olap(*base, "need", "list", "sarah-ndiaye")
    assert "(etrangers)" in listed.stdout
    # the same need again is refused as a duplicate; another competence is not one
    again = refused(
        cohort_repo, *base, "need", "add", "sarah-ndiaye", "--by", "entreprise",
        "--identified", "2026-11-16", "--due", "2026-11-20", "--detail",
        "Accueillir un groupe d'espagnols", "--practice", "mobilite", "--competence", "etrangers",
    )  # fmt: skip
    assert new["id"] in again.output
    # an evaluation on a sub-activity cannot answer it
    wrong = refused(
        cohort_repo, *base, "eval", "add", "sarah-ndiaye", "--need", new["id"],
        "--activity", "1.1", "--level", "A", "--by", "entreprise",
    )  # fmt: skip
    assert "seulement une compétence" in wrong.output
    assert "fiche" in refused(
        cohort_repo, *base, "eval", "add", "sarah-ndiaye", "--need", new["id"],
        "--criteria", "1", "--by", "entreprise",
    ).output  # fmt: skip
    done = olap(*base, "eval", "add", "sarah-ndiaye", "--need", new["id"], "--level", "A",
                "--by", "entreprise", "--date", "2026-11-20", "--commit")  # fmt: skip
    assert done.code == 0, done.output
    answer = yamlread.load(path.read_text(encoding="utf-8"))["evaluations"][-1]
    assert "activity" not in answer and answer["need"] == new["id"]
    checked = olap(*base, "validate", "--format", "json")
    assert checked.code == 0, checked.stdout
    site = tmp_path / "site"
    assert olap(*base, "render", "--out", site).code == 0
    page = html.unescape((site / "alternants/sarah-ndiaye.html").read_text(encoding="utf-8"))
    grid = page[page.index("La grille « Mobilité européenne »") :]
    assert "Accueillir un groupe d'Espagnols" in grid
    trade = page[: page.index("La grille « Mobilité européenne »")]
    assert "Accueillir un groupe d'Espagnols" not in trade
    figures = json.loads(olap(*base, "metrics", "--format", "json").stdout)
    annex = [a for a in figures["annex"] if a["detail"] == "Accueillir un groupe d'Espagnols"]
    assert [(a["activity"], a["activity_title"]) for a in annex] == [
        (None, "Parler avec des personnes d'une autre langue")
    ]


def test_a_need_or_an_evaluation_about_nothing_is_an_error(olap, refused, cohort_dir):
    edit(
        cohort_dir / THEO,
        '    activity: "11.2"\n    practice: mobilite\n    competence: reussir-sejour\n',
        "    practice: mobilite\n",
    )
    # an evaluation may leave its activity out only to answer a need that has none
    edit(
        cohort_dir / THEO,
        '    activity: "8.2"\n    level: A\n    date: 2026-04-23',
        "    level: A\n    date: 2026-04-23",
    )
    found, result = problems(olap, cohort_dir, "no-activity")
    assert result.code == 1
    assert sorted((p["path"], p["line"]) for p in found) == [
        (THEO, line_of(cohort_dir, THEO, f"- id: {THEO_NEED}")),
        (THEO, line_of(cohort_dir, THEO, "- id: e20260423-91c4c1522c")),
    ]
    assert {p["message"].split(" ")[0] for p in found} == {"le", "l'évaluation"}
    refused(
        cohort_dir, "-C", cohort_dir, "need", "add", "hugo-lefevre", "--by", "entreprise",
        "--identified", "2026-11-16", "--due", "2026-11-20", "--detail", "x", "--practice",
        "qualite", "--competence", "etrangers",
    )  # fmt: skip
