"""``olap meeting add``, the charter's two meetings a year in ``validate`` and in the
report, and the outcomes that tell rupture, drop-out, further study and insertion apart."""

from __future__ import annotations

import datetime as dt
import difflib
import re

import pytest

from olapcli.core import rules
from olapcli.io import yamlread
from tests.conftest import edit, git

LEA = "learners/lea-martin.yaml"
MEETINGS = re.compile(r"# Rencontres avec l'entreprise[^\n]*\nmeetings:\n(?:  [^\n]*\n)+")


def without_meetings(root, learner="lea-martin"):
    path = root / f"learners/{learner}.yaml"
    text = path.read_text(encoding="utf-8")
    assert MEETINGS.search(text), learner
    path.write_text(MEETINGS.sub("", text), encoding="utf-8")


def meetings_of(root, learner="lea-martin"):
    return yamlread.load((root / f"learners/{learner}.yaml").read_text(encoding="utf-8"))[
        "meetings"
    ]


def test_add_with_commit_appends_only_the_meeting(olap, cohort_repo):
    before = (cohort_repo / LEA).read_text(encoding="utf-8")
    head = git(cohort_repo, "rev-parse", "HEAD")
    result = olap(
        "-C", cohort_repo, "meeting", "add", "lea-martin", "--date", "2026-06-15",
        "--kind", "visite", "--with", "tuteur,employeur", "--notes", "Bilan de fin d'année",
        "--commit",
    )  # fmt: skip
    assert result.code == 0, result.output
    assert "Rencontre enregistrée : visite avec tuteur, employeur le 2026-06-15." in result.stdout
    after = (cohort_repo / LEA).read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert diff == [
        "+  - date: 2026-06-15",
        "+    kind: visite",
        "+    with: [tuteur, employeur]",
        '+    notes: "Bilan de fin d\'année"',
    ]
    assert meetings_of(cohort_repo)[-1]["with"] == ["tuteur", "employeur"]
    assert git(cohort_repo, "rev-parse", "HEAD~1") == head
    assert git(cohort_repo, "show", "--name-only", "--format=%s", "HEAD").splitlines() == [
        "Rencontre avec l'entreprise de lea-martin le 2026-06-15 (visite)",
        "",
        LEA,
    ]
    assert git(cohort_repo, "status", "--porcelain") == ""


def test_a_first_meeting_starts_the_list_and_words_are_read_like_other_commands(olap, cohort_repo):
    without_meetings(cohort_repo)
    # today is Saturday 2026-11-21 (conftest): « vendredi » is the coming Friday
    result = olap(
        "-C", cohort_repo, "meeting", "add", "lea-martin", "--date", "vendredi",
        "--kind", "Telephone", "--with", "tutor",
    )  # fmt: skip
    assert result.code == 0, result.output
    assert meetings_of(cohort_repo) == [
        {"date": dt.date(2026, 11, 27), "kind": "téléphone", "with": ["tuteur"]}
    ]
    assert olap("-C", cohort_repo, "validate").code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["personne", "--kind", "visite", "--with", "tuteur"], "Alternant inconnu : « personne »"),
        (
            ["lea-martin", "--date", "31/02/2026", "--kind", "visite", "--with", "tuteur"],
            "Date invalide pour --date : « 31/02/2026 »",
        ),
        (
            ["lea-martin", "--kind", "fax", "--with", "tuteur"],
            "Type de rencontre inconnu : « fax »",
        ),
        (
            ["lea-martin", "--kind", "visite", "--with", "tuteur,patron"],
            "Personne rencontrée inconnue : « patron »",
        ),
        (["lea-martin", "--with", "tuteur"], "il manque --kind"),
        (["lea-martin", "--kind", "visio", "--with", " , "], "il manque --with"),
    ],
)
def test_refusals_leave_every_file_identical(refused, cohort_repo, args, message):
    result = refused(cohort_repo, "-C", cohort_repo, "meeting", "add", *args)
    assert message in result.stderr


def test_refused_in_a_learner_file_with_errors(refused, cohort_repo):
    edit(cohort_repo / LEA, "status: contract", "status: contrat")
    result = refused(
        cohort_repo, "-C", cohort_repo, "meeting", "add", "lea-martin", "--kind", "visite",
        "--with", "tuteur",
    )  # fmt: skip
    assert "learners/lea-martin.yaml" in result.stderr


def warnings_of(olap, root, today, monkeypatch):
    monkeypatch.setenv("OLAP_TODAY", today)
    result = olap("-C", root, "validate")
    # on a day of the past, the sample's later needs and prospects' stages are to come
    errors = [line for line in result.stdout.splitlines() if ": erreur [" in line]
    future = ("[identified-in-future]", "[stage-in-future]")
    assert all(any(code in line for code in future) for line in errors), result.output
    monkeypatch.setenv("OLAP_TODAY", "2026-11-21")  # the writes that follow: today again
    return [line for line in result.stdout.splitlines() if "[meetings]" in line]


def test_validate_warns_at_the_learner_without_two_meetings(olap, cohort_repo, monkeypatch):
    assert warnings_of(olap, cohort_repo, "2026-03-02", monkeypatch) == []
    without_meetings(cohort_repo)
    line = next(
        i
        for i, text in enumerate((cohort_repo / LEA).read_text().splitlines(), 1)
        if text.startswith("status:")
    )
    found = warnings_of(olap, cohort_repo, "2026-03-02", monkeypatch)
    assert found == [
        f"{LEA}:{line}:9: avertissement [meetings] moins de 2 rencontres avec l'entreprise "
        "sur les douze derniers mois"
    ]
    # not in the first two months (the charter's first meeting is due then)
    assert warnings_of(olap, cohort_repo, "2025-10-15", monkeypatch) == []
    # one meeting is not enough; the warning points at the list
    olap("-C", cohort_repo, "meeting", "add", "lea-martin", "--date", "2025-09-22",
         "--kind", "visite", "--with", "employeur")  # fmt: skip
    found = warnings_of(olap, cohort_repo, "2026-03-02", monkeypatch)
    at = (cohort_repo / LEA).read_text().splitlines().index("meetings:") + 1
    assert len(found) == 1 and found[0].startswith(f"{LEA}:{at}:1:")
    # a meeting with the tutor alone counts (the employer's appointed representative)
    olap("-C", cohort_repo, "meeting", "add", "lea-martin", "--date", "2026-02-10",
         "--kind", "visio", "--with", "tuteur")  # fmt: skip
    assert warnings_of(olap, cohort_repo, "2026-03-02", monkeypatch) == []
    # before the second meeting, the same files warn: the cache knows the day matters
    assert len(warnings_of(olap, cohort_repo, "2026-02-09", monkeypatch)) == 1
    assert warnings_of(olap, cohort_repo, "2026-02-10", monkeypatch) == []


def test_no_warning_after_a_rupture_nor_without_a_company(olap, cohort_repo, monkeypatch):
    # lucas-fontaine's contract was broken on 2026-01-16; kevin-lopez has no company
    without_meetings(cohort_repo, "lucas-fontaine")
    assert len(warnings_of(olap, cohort_repo, "2026-01-15", monkeypatch)) == 1
    assert warnings_of(olap, cohort_repo, "2026-01-16", monkeypatch) == []
    assert warnings_of(olap, cohort_repo, "2026-11-21", monkeypatch) == []
    edit(cohort_repo / "learners/lea-martin.yaml", "  rupture: false", "  dropout: 2026-02-01")
    without_meetings(cohort_repo)
    assert [
        w for w in warnings_of(olap, cohort_repo, "2026-03-02", monkeypatch) if "lea" in w
    ] == []


def test_the_warning_holds_on_after_the_cohort_when_its_record_is_short(
    olap, cohort_repo, monkeypatch
):
    without_meetings(cohort_repo)
    assert len(warnings_of(olap, cohort_repo, "2026-11-21", monkeypatch)) == 1


def test_twelve_months_slide_over_a_long_follow_up():
    start, end = dt.date(2025, 9, 1), dt.date(2027, 6, 30)
    dates = [dt.date(2025, 9, 20), dt.date(2025, 10, 20), dt.date(2026, 10, 1)]
    # the first meeting leaves the window on 2026-09-20, the third comes on 2026-10-01,
    # the second leaves on 2026-10-20: short from then on
    assert rules.meetings_short(dates, start, end) == [
        (dt.date(2026, 9, 20), dt.date(2026, 10, 1)),
        (dt.date(2026, 10, 20), None),
    ]
    span = (start, end, False)
    assert rules.meetings_met(dates, span, dt.date(2026, 9, 30)) is False
    assert rules.meetings_met(dates, span, dt.date(2026, 10, 1)) is True
    assert rules.meetings_met(dates, None, dt.date(2026, 10, 1)) is None


def report_of(olap, root, tmp_path, *args):
    out = tmp_path / "rapport.html"
    result = olap("-C", root, "report", "--out", out, *args)
    assert result.code == 0, result.output
    return out.read_text(encoding="utf-8")


def row(html, head):
    found = re.search(rf"<tr><th scope=\"row\">{re.escape(head)}</th>(.*?)</tr>", html)
    assert found, head
    return re.findall(r"<td>(.*?)</td>", found.group(1))


def test_report_shows_the_meetings_and_the_paths_out(olap, cohort_repo, tmp_path):
    edit(cohort_repo / "learners/nathan-rey.yaml", "  rupture: false", "  dropout: 2026-05-04")
    without_meetings(cohort_repo, "theo-garnier")
    html = report_of(olap, cohort_repo, tmp_path)
    assert "Rencontres avec l&#39;entreprise sur les douze derniers mois" in html
    assert "Léa" not in html and "Martin" not in html
    lea_key = yamlread.load((cohort_repo / LEA).read_text())["key"]
    theo = yamlread.load((cohort_repo / "learners/theo-garnier.yaml").read_text())["key"]
    kevin = yamlread.load((cohort_repo / "learners/kevin-lopez.yaml").read_text())["key"]
    # the Annexe 7 table has a row per learner too: the meetings table's rows come last
    assert row(html.split("Deux par an")[1], lea_key) == ["3", "oui"]
    assert row(html.split("Deux par an")[1], theo) == ["0", "non"]
    assert row(html.split("Deux par an")[1], kevin) == ["—", "—"]  # searching: no company
    assert row(html, "Rupture du contrat") == ["2"]
    assert row(html, "Abandon de la formation") == ["1"]
    assert row(html, "Poursuite d&#39;études") == ["1"]
    assert row(html, "En emploi à 6 mois") == ["6"]
    named = report_of(olap, cohort_repo, tmp_path, "--identify")
    assert row(named.split("Deux par an")[1], "Léa Martin") == ["3", "oui"]


def test_an_old_learner_file_without_meetings_nor_outcomes_stays_valid(olap, cohort_repo):
    path = cohort_repo / LEA
    without_meetings(cohort_repo)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("# Indicateurs de l'Annexe 7")], encoding="utf-8")
    assert "meetings" not in path.read_text() and "outcomes" not in path.read_text()
    result = olap("-C", cohort_repo, "validate")
    assert result.code == 0, result.output
    assert olap("-C", cohort_repo, "metrics", "--format", "json").code == 0


def test_outcomes_say_drop_out_and_further_study(olap, cohort_repo):
    edit(
        cohort_repo / LEA,
        "  rupture: false",
        "  rupture: false\n  dropout: false\n  further_study: true",
    )
    assert olap("-C", cohort_repo, "validate").code == 0
    edit(cohort_repo / LEA, "  further_study: true", "  further_study: peut-être")
    result = olap("-C", cohort_repo, "validate")
    assert result.code == 1 and "further_study" in result.stdout
