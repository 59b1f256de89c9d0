"""Annexe 7 figures, each compared with an independent computation on a cohort built here."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil

import numpy as np
import pytest
from scipy import special

from olapcli.core.derive import metrics
from olapcli.core.derive import stats as statistics
from olapcli.io.load import load_cohort
from tests.conftest import SAMPLE

D0 = dt.date(2025, 10, 1)

# (qualite needs, theatre needs, rupture, exam, absence hours, satisfaction learner)
PEOPLE = [
    (0, 0, True, False, 60, 2),
    (0, 0, True, None, 45, 1),
    (0, 0, False, False, 30, 3),
    (0, 0, None, False, 52, 2),
    (1, 0, False, True, 20, 3),
    (1, 0, True, False, 25, 3),
    (2, 0, False, True, 12, 4),
    (2, 1, False, True, 10, 4),
    (3, 0, False, True, 8, 4),
    (3, 1, False, None, None, 5),
    (4, 0, False, True, 5, 5),
    (5, 2, False, True, 0, 5),
    (5, 0, False, True, 3, None),
    (0, 0, False, False, 40, 2),
    (0, 0, True, False, 35, 3),
    (2, 0, True, True, 15, 4),
]


def learner_yaml(i: int, q: int, t: int, rupture, exam, absence, sat) -> str:
    needs = []
    for k in range(q + t):
        practice = "qualite" if k < q else "theatre"
        ident = D0 + dt.timedelta(days=10 * k)
        needs.append(
            f'  - id: b{i:02d}{k:02d}\n    activity: "3.1"\n    practice: {practice}\n'
            f"    marked_by: [entreprise]\n    identified: {ident}\n"
            f'    due: {ident + dt.timedelta(days=5)}\n    detail: "besoin {k}"\n'
        )
    # needs that must not count: not imminent (60 days); marked by the trainer alone
    # (not the company's need); identified on its due day (not anticipated)
    needs.append(
        f'  - id: bx{i:02d}\n    activity: "3.1"\n    marked_by: [entreprise]\n'
        f'    identified: {D0}\n    due: {D0 + dt.timedelta(days=60)}\n    detail: "loin"\n'
    )
    needs.append(
        f'  - id: by{i:02d}\n    activity: "3.1"\n    marked_by: [formateur, alternant]\n'
        f'    identified: {D0}\n    due: {D0 + dt.timedelta(days=3)}\n    detail: "sans"\n'
    )
    needs.append(
        f'  - id: bz{i:02d}\n    activity: "3.1"\n    marked_by: [entreprise]\n'
        f'    identified: {D0}\n    due: {D0}\n    detail: "le jour même"\n'
    )
    out = [
        f"id: l{i:02d}",
        f"key: K-T{i:06d}",
        "first_name: A",
        f"last_name: N{i}",
        "status: contract",
        "needs:",
        *"".join(needs).rstrip("\n").split("\n"),
        "outcomes:",
    ]
    if rupture is not None:
        out.append(f"  rupture: {'2026-01-10' if rupture else 'false'}")
    if exam is not None:
        out.append(f"  exam: {'passed' if exam else 'failed'}")
    if absence is not None:
        out.append(f"  absence_hours: {absence}")
    if sat is not None:
        out.append(f"  satisfaction_learner: {sat}")
    return "\n".join(out) + "\n"


@pytest.fixture
def built(tmp_path):
    root = tmp_path / "c"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("learners"))
    (root / "learners").mkdir()
    for i, person in enumerate(PEOPLE):
        (root / "learners" / f"l{i:02d}.yaml").write_text(
            learner_yaml(i, *person), encoding="utf-8"
        )
    data, problems = load_cohort(root)
    assert [p for p in problems if p.severity == "error"] == []
    return root, data


def pearson_by_hand(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    xm, ym = x - x.mean(), y - y.mean()
    r = float((xm * ym).sum() / math.sqrt((xm**2).sum() * (ym**2).sum()))
    n = len(x)
    t = r * math.sqrt((n - 2) / (1 - r * r))
    p = float(2 * special.stdtr(n - 2, -abs(t)))  # Student's t, two-sided
    return r, p


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1  # ties share the mean rank
        i = j + 1
    return out


def test_counts_follow_the_rule(built):
    _root, data = built
    table = metrics.rows(
        data.cohort, sorted((lrn for _r, lrn in data.learners), key=lambda x: x.id)
    )
    for row, (q, t, *_rest) in zip(table, PEOPLE, strict=True):
        assert (
            row.counts["qualite"] == q and row.counts["theatre"] == t
        )  # the 60-day need, the trainer's alone and the one due the day it was known never count
        assert row.counts["sport"] == 0  # an all-zero column
        assert row.total == q + t and row.proactive == (q + t > 0)


def interval_by_hand(r, n, spearman=False):
    # Fisher's z; for Spearman's rho, Bonett & Wright's variance (1 + rho^2 / 2) / (n - 3)
    z, q = math.atanh(r), float(special.ndtri(0.975))
    se = math.sqrt(((1 + r * r / 2) if spearman else 1) / (n - 3))
    return math.tanh(z - q * se), math.tanh(z + q * se)


def holm_by_hand(ps):
    # sort, multiply the k-th smallest by (m - k), carry the running maximum, cap at 1
    m = len(ps)
    adjusted, best = {}, 0.0
    for k, (i, p) in enumerate(sorted(enumerate(ps), key=lambda x: x[1])):
        best = max(best, min(1.0, (m - k) * p))
        adjusted[i] = best
    return [adjusted[i] for i in range(m)]


def newcombe_by_hand(a, n1, b, n2):
    # Newcombe (1998), method 10: the two Wilson score intervals combined
    q = float(special.ndtri(0.975))

    def wilson(x, n):
        p = x / n
        root = q * math.sqrt(p * (1 - p) / n + q * q / (4 * n * n))
        mid = p + q * q / (2 * n)
        return (mid - root) / (1 + q * q / n), (mid + root) / (1 + q * q / n)

    p1, p2 = a / n1, b / n2
    (l1, u1), (l2, u2) = wilson(a, n1), wilson(b, n2)
    d = p1 - p2
    return d, d - math.hypot(p1 - l1, u2 - p2), d + math.hypot(u1 - p1, p2 - l2)


def test_every_statistic_matches_an_independent_computation(built):
    _root, data = built
    learners = sorted((lrn for _r, lrn in data.learners), key=lambda x: x.id)
    got = {s.indicator: s for s in statistics.statistics(metrics.rows(data.cohort, learners))}
    assert len(got) == len(metrics.INDICATORS)  # one verdict per indicator, no second line
    totals = [q + t for q, t, *_ in PEOPLE]
    columns = {"rupture": 2, "exam": 3, "absence_hours": 4, "satisfaction_learner": 5}
    expected = {}
    for indicator, col in columns.items():
        pairs = [(tot, p[col]) for tot, p in zip(totals, PEOPLE, strict=True) if p[col] is not None]
        xs = [x for x, _ in pairs]
        ys = [float(y) for _, y in pairs]
        spearman = indicator == "satisfaction_learner"
        r, p = pearson_by_hand(ranks(xs), ranks(ys)) if spearman else pearson_by_hand(xs, ys)
        expected[indicator] = (len(pairs), r, p, *interval_by_hand(r, len(pairs), spearman))
    tested = [i for i in got if got[i].p is not None]
    assert sorted(tested) == sorted(columns)  # placement: nobody's known
    adjusted = dict(zip(tested, holm_by_hand([expected[i][2] for i in tested]), strict=True))
    for indicator, (n, r, p, low, high) in expected.items():
        s = got[indicator]
        assert (s.n, s.tests) == (n, len(tested))
        assert s.value == pytest.approx(r, abs=1e-9) and s.p == pytest.approx(p, rel=1e-6)
        assert (s.low, s.high) == pytest.approx((low, high), abs=1e-9)
        assert s.p_holm == pytest.approx(adjusted[indicator], rel=1e-6)
        assert s.established == (adjusted[indicator] < 0.05)
    for indicator in ("rupture", "exam"):
        col = columns[indicator]
        known = [(tot, p[col]) for tot, p in zip(totals, PEOPLE, strict=True) if p[col] is not None]
        pro = [y for tot, y in known if tot > 0]
        non = [y for tot, y in known if tot == 0]
        d, low, high = newcombe_by_hand(sum(pro), len(pro), sum(non), len(non))
        diff = got[indicator].difference
        assert diff["proactive"] == {"n": len(pro), "yes": sum(pro)}
        assert diff["not_proactive"] == {"n": len(non), "yes": sum(non)}
        assert (diff["value"], diff["low"], diff["high"]) == pytest.approx((d, low, high))
        assert got[indicator].groups == {
            "yes": sum(y for _t, y in known),
            "no": len(known) - sum(y for _t, y in known),
        }


def test_small_groups_few_and_no_variation_are_said_once(built):
    _root, data = built
    learners = sorted((lrn for _r, lrn in data.learners), key=lambda x: x.id)
    stats = {s.indicator: s for s in statistics.statistics(metrics.rows(data.cohort, learners))}
    assert stats["placement"].reason == "small-groups" and stats["placement"].value is None
    # four with a rupture: the « yes » group is under 5, so no r and no p-value
    fewer = [
        lrn
        if lrn.id != "l05"
        else lrn.model_copy(update={"outcomes": lrn.outcomes.model_copy(update={"rupture": False})})
        for lrn in learners
    ]
    small = {s.indicator: s for s in statistics.statistics(metrics.rows(data.cohort, fewer))}
    assert small["rupture"].reason == "small-groups"
    assert small["rupture"].groups == {"yes": 4, "no": stats["rupture"].groups["no"] + 1}
    assert small["rupture"].p is None and small["rupture"].p_holm is None
    # the other tests are adjusted over one test fewer
    assert {s.tests for s in small.values() if s.p is not None} == {3}
    few = statistics.statistics(metrics.rows(data.cohort, learners[:7]))
    by = {s.indicator: s for s in few}
    assert by["absence_hours"].reason == "insufficient"
    assert by["satisfaction_learner"].reason == "insufficient"
    assert all(s.p is None for s in few)
    same = [lrn.model_copy(update={"needs": []}) for lrn in learners]
    flat = {s.indicator: s for s in statistics.statistics(metrics.rows(data.cohort, same))}
    assert flat["absence_hours"].reason == "no-variation"
    assert flat["rupture"].reason == "no-variation"
    # everyone is « not proactive »: the groups compared are one empty and one full
    assert flat["rupture"].difference["reason"] == "small-groups"


def test_the_verdict_is_one_sentence_in_french(built):
    from olapcli.i18n import set_language
    from olapcli.render import verdicts

    _root, data = built
    learners = sorted((lrn for _r, lrn in data.learners), key=lambda x: x.id)
    stats = {s.indicator: s for s in statistics.statistics(metrics.rows(data.cohort, learners))}
    set_language("fr")
    text = verdicts.sentence(stats["absence_hours"])
    small = verdicts.sentence(stats["placement"])
    rupture = verdicts.sentence(stats["rupture"])
    s = stats["absence_hours"]
    assert text.startswith("Absences (heures) (") and f"{s.n} alternants" in text
    assert "corrélation de Pearson" in text and "IC à 95 %" in text
    assert f"r = {s.value:.2f}".replace(".", ",") in text
    assert "Holm" in text and text.count("p = ") + text.count("p < ") == 2  # raw, Holm
    assert "p =" not in small and "aucune valeur p" in small
    assert "Newcombe" in rupture and "proactifs" in rupture


def test_label_and_who_falls_short(built):
    _root, data = built
    learners = sorted((lrn for _r, lrn in data.learners), key=lambda x: x.id)
    table = metrics.rows(data.cohort, learners)
    lab = metrics.label(data.cohort, table)  # sample policy: 3 needs on qualite, theatre, mobilite
    expected_short = {f"l{i:02d}": 3 - (q + t) for i, (q, t, *_r) in enumerate(PEOPLE) if q + t < 3}
    assert {s["learner"]: s["missing"]["action"] for s in lab.short} == expected_short
    assert lab.share == pytest.approx((len(PEOPLE) - len(expected_short)) / len(PEOPLE))
    assert lab.granted is False
    policy = data.cohort.policy.model_copy(
        update={
            "label": data.cohort.policy.label.model_copy(
                update={"min_needs": 1, "columns": "all", "tolerance": 0.4}
            )
        }
    )
    loose = data.cohort.model_copy(update={"policy": policy})
    lab2 = metrics.label(loose, table)
    zero = sum(1 for q, t, *_r in PEOPLE if q + t == 0)
    assert lab2.share == pytest.approx(1 - zero / len(PEOPLE)) and lab2.granted == (
        lab2.share >= 0.6
    )


def test_metrics_command_json_csv_xlsx(olap, built, tmp_path):
    root, _data = built
    result = olap("-C", root, "metrics", "--format", "json")
    assert result.code == 0, result.output
    report = json.loads(result.stdout)
    assert {"learners", "statistics", "label", "source", "annex", "coverage"} <= set(report)
    assert report["learners"][0]["key"].startswith("K-T") and report["learners"][0]["name"] is None
    assert "N0" not in result.stdout  # no names without --identify
    unknown = next(r for r in report["learners"] if r["key"] == "K-T000003")
    assert unknown["outcomes"]["rupture"] is None  # unknown stays unknown
    from jsonschema import Draft202012Validator

    schema = json.loads((SAMPLE.parent / "schema/metrics.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(report)) == []
    csv_path = tmp_path / "t.csv"
    args = ["-C", root, "metrics", "--format", "csv", "--out", csv_path]
    assert olap(*args, "--csv-dialect", "fr").code == 0
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]


def test_table_keeps_each_learner_on_one_line(olap, built, monkeypatch):
    root, data = built
    total = 2 + len(data.cohort.practices)  # key, name, one column a practice, the total
    # narrower than the table: headers fold, keys do not, and the table is cut in slices
    # of columns, each repeating the key and the name
    monkeypatch.setenv("COLUMNS", "100")
    result = olap("-C", root, "metrics", "--identify")
    assert result.code == 0, result.output
    lines = result.stdout.splitlines()
    for i, (q, t, _rupture, _exam, absence, _sat) in enumerate(PEOPLE):
        parts = [x for x in lines if x.startswith(f"K-T{i:06d} ")]
        assert len(parts) > 1
        split = [[c.strip() for c in line.strip("│ ").split("│")] for line in parts]
        cells = split[0] + [c for part in split[1:] for c in part[2:]]
        assert cells[1] == f"A N{i}"
        assert cells[total] == str(q + t) and cells[total + 1] == ("oui" if q + t else "non")
        assert ("—" if absence is None else str(absence)) in cells  # hours: 12, not 12.0


def test_exports_never_start_a_formula(olap, built, tmp_path):
    root, _data = built
    lrn = root / "learners/l04.yaml"  # one counted need: its detail goes to the annex
    lrn.write_text(
        lrn.read_text(encoding="utf-8")
        .replace("first_name: A", 'first_name: "=HYPERLINK(\\"http://x\\")"')
        .replace('detail: "besoin 0"', 'detail: "+33 6 12 34 56 78"'),
        encoding="utf-8",
    )
    csv_path = tmp_path / "t.csv"
    assert olap("-C", root, "metrics", "--format", "csv", "--identify", "--out", csv_path).code == 0
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    import csv

    cells = [c for row in csv.reader(text.splitlines(), delimiter=";") for c in row]
    assert len(cells) > 100 and not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    xlsx = tmp_path / "t.xlsx"
    assert olap("-C", root, "metrics", "--format", "xlsx", "--identify", "--out", xlsx).code == 0
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    cells = [
        c
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert all(c.data_type != "f" for c in cells)
    phone = [c for c in cells if c.value == "+33 6 12 34 56 78"]
    assert phone and phone[0].data_type == "s" and phone[0].quotePrefix


def test_refusals(refused, built, tmp_path):
    root, _data = built
    assert "XLSX" in refused(root, "-C", root, "metrics", "--format", "xlsx").stderr
    assert (
        "--to"
        in refused(root, "-C", root, "metrics", "--from", "2026-01-01", "--to", "2025-01-01").stderr
    )
    (root / "learners/l00.yaml").write_text("id: [\n", encoding="utf-8")
    assert "olap validate" in refused(root, "-C", root, "metrics").stderr


def test_period_filter(olap, built):
    root, _data = built
    all_ = json.loads(olap("-C", root, "metrics", "--format", "json").stdout)
    late = json.loads(
        olap("-C", root, "metrics", "--format", "json", "--from", "2025-10-15").stdout
    )
    total = {r["key"]: r["total"] for r in all_["learners"]}
    later = {r["key"]: r["total"] for r in late["learners"]}
    # needs identified every 10 days from 2025-10-01: those from the 15th on are the 3rd onwards
    assert later == {k: max(0, v - 2) for k, v in total.items()}


def test_statistics_kept_are_used_only_for_the_same_table(olap, built, monkeypatch):
    """The statistics are kept under the content of the table they come from: the same
    table takes them from olap's cache (scipy is not asked), a changed outcome computes
    them again, and they are what an independent run gives."""
    from olapcli.app import report

    root, _data = built

    def figures():
        result = olap("-C", root, "metrics", "--format", "json")
        assert result.code == 0, result.output
        return json.loads(result.stdout)["statistics"]

    first = figures()
    asked: list[int] = []

    class Counting(report.Statistician):
        def __init__(self, root=None):
            super().__init__(root)
            real = self.child.ask
            self.child.ask = lambda value=None: asked.append(1) or real(value)  # type: ignore[method-assign]

    monkeypatch.setattr(report, "Statistician", Counting)
    assert figures() == first and asked == []
    path = root / "learners/l05.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("absence_hours: 25", "absence_hours: 95"),
        encoding="utf-8",
    )
    changed = figures()
    assert asked == [1] and changed != first
    data, _problems = load_cohort(root)
    learners = [model for _rel, model in data.learners]
    expected = statistics.statistics(metrics.rows(data.cohort, learners))
    # JSON has no infinity: an odds ratio without a zero cell below is written null
    finite = [
        {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in d.items()}
        for d in (s.as_json() for s in expected)
    ]
    assert changed == finite


def test_the_terminal_table_lines_up_and_shows_controls_harmless():
    from olapcli.render.tables import Column, lay_out

    columns = [Column("Clé"), Column("Satisfaction de l'entreprise"), Column("n", right=True)]
    rows = [["K-1\x1b[2J", "oui", "3"], ["K-22", "non", "12"]]
    text = "\n".join(line.text for line in lay_out("T", columns, rows, None))
    lines = text.split("\n")
    assert "\x1b" not in text and "␛[2J" in text
    body = lines[-2:]
    # every line has its column bars at the same places; numbers aligned right
    bars = {tuple(i for i, c in enumerate(line) if c == "│") for line in lines[1:] if "│" in line}
    assert len(bars) == 1
    assert body[0].endswith("  3") and body[1].endswith(" 12")
    assert "Satisfaction" in text and "l'entreprise" in text  # wrapped on words


# --- the label per company period: the lint's boundaries and exemptions ----------------------

#: the sample's company periods (cohort.yaml), written out here: the test's own calendar
PERIODS = [
    ("P1", dt.date(2025, 9, 29), dt.date(2025, 10, 17)),
    ("P2", dt.date(2025, 11, 3), dt.date(2025, 11, 28)),
    ("P3", dt.date(2026, 1, 5), dt.date(2026, 1, 30)),
    ("P4", dt.date(2026, 2, 23), dt.date(2026, 3, 20)),
    ("P5", dt.date(2026, 4, 13), dt.date(2026, 5, 7)),
]


def _person(ident: str, needs: list[dt.date], company: bool = True, rupture=None) -> str:
    lines = [
        f"id: {ident}", f"key: K-{ident.upper()}", "first_name: A", f"last_name: {ident}",
        "status: contract", "contract:", "  type: apprentissage", "  start: 2025-09-01",
    ]  # fmt: skip
    if company:
        lines += ["company:", '  name: "Maison"']
    lines.append("needs:" if needs else "needs: []")
    for k, day in enumerate(needs):
        lines += [
            f"  - id: b{ident}{k:02d}", '    activity: "3.1"', "    marked_by: [entreprise]",
            f"    identified: {day}", f"    due: {day + dt.timedelta(days=4)}",
            f'    detail: "besoin {k}"',
        ]  # fmt: skip
    if rupture:
        lines += ["outcomes:", f"  rupture: {rupture}"]
    return "\n".join(lines) + "\n"


def _owed_by_hand(needs: list[dt.date], rupture: dt.date | None, company: bool, lo, hi):
    """{period: needs missing} for min_needs 1, by the rule written in docs/metrics.md:
    a need belongs to the period it was identified in, or to the next one when
    identified before it since the previous one ended; a period the learner is not
    followed in (no company, begun on or after the rupture) is not asked."""
    owed = {}
    if not company:
        return None
    previous_end = dt.date(2025, 9, 1) - dt.timedelta(days=1)  # the cohort's start
    for pid, start, end in PERIODS:
        window = [d for d in needs if previous_end < d <= end]
        previous_end = end
        if (rupture and rupture <= start) or end < lo or start > hi:
            continue
        if not window:
            owed[pid] = 1
    return owed


@pytest.mark.parametrize(
    "window", [(None, None), (dt.date(2025, 11, 1), dt.date(2026, 2, 1))], ids=["all", "from-to"]
)
def test_the_label_per_period_follows_the_lint_s_periods_and_exemptions(tmp_path, olap, window):
    root = tmp_path / "c"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("learners"))
    (root / "learners").mkdir()
    cohort = root / "cohort.yaml"
    text = cohort.read_text(encoding="utf-8")
    text = text.replace("min_needs: 3", "min_needs: 1").replace("per: action", "per: period")
    cohort.write_text(text.replace("columns: [qualite, theatre, mobilite]", "columns: all"))
    d = dt.date
    people = {
        # a need in each gap before a period: each counts for the following period
        "gaps": (
            [d(2025, 9, 20), d(2025, 10, 25), d(2025, 12, 10), d(2026, 2, 2), d(2026, 4, 1)],
            True,
            None,
        ),
        # broken on P3's first day: P3, P4 and P5 are not asked
        "rupt": ([d(2025, 10, 1), d(2025, 11, 10)], True, d(2026, 1, 5)),
        # no company: no period asked, not judged
        "solo": ([], False, None),
        # one need identified before P2, due in it: P2 only (never two periods)
        "once": ([d(2025, 10, 30)], True, None),
    }
    for ident, (needs, company, rupture) in people.items():
        (root / "learners" / f"{ident}.yaml").write_text(
            _person(ident, needs, company, rupture), encoding="utf-8"
        )
    args = []
    lo, hi = d(2025, 9, 1), d(2026, 6, 30)
    if window[0]:
        lo, hi = window
        args = ["--from", str(lo), "--to", str(hi)]
    done = olap("-C", root, "metrics", "--format", "json", *args)
    assert done.code == 0, done.output
    label = json.loads(done.stdout)["label"]
    want = {i: _owed_by_hand(n, r, c, lo, hi) for i, (n, c, r) in people.items()}
    # the needs counted are those identified within --from/--to
    if window[0]:
        want = {
            i: _owed_by_hand([x for x in n if lo <= x <= hi], r, c, lo, hi)
            for i, (n, c, r) in people.items()
        }
    assert {s["key"]: s["missing"] for s in label["short"]} == {
        f"K-{i.upper()}": owed for i, owed in want.items() if owed
    }
    assert label["exempt"] == ["K-SOLO"]
    judged = [i for i in people if want[i] is not None]
    assert label["share"] == pytest.approx(sum(not want[i] for i in judged) / len(judged))
    asked = [p for p, s, e in PERIODS if not (e < lo or s > hi)]
    assert label["units"] == asked

    # validate's no-new-need lint draws the same line, once every period is over
    lint = json.loads(olap("-C", root, "validate", "--format", "json").stdout)
    flagged: dict[str, set[str]] = {}
    for p in lint:
        if p["code"] == "no-new-need":
            flagged.setdefault(p["path"], set()).add(
                p["message"].split("période en entreprise ")[1].split(" ")[0]
            )
    full = {
        i: _owed_by_hand(n, r, c, d(2025, 9, 1), d(2026, 6, 30)) for i, (n, c, r) in people.items()
    }
    assert flagged == {f"learners/{i}.yaml": set(o) for i, o in full.items() if o}


def test_quality_counts_in_time_preparations_and_advantages_only():
    """core/derive/quality on needs made here: prepared after its due date is not « in
    time »; valorised without an advantage recorded is not counted as valorised with
    one; the company's share is over every anticipated need."""
    from olapcli.core.derive import quality
    from olapcli.core.derive.briefs import NeedBrief

    d = dt.date(2026, 3, 10)

    def need(k, prepared=None, valorised=None, advantage=False, evaluated=False):
        return NeedBrief(
            f"n{k}", "1.1", "qualite", d - dt.timedelta(days=k), d, "x", (), ("entreprise",),
            prepared, None, valorised, advantage, evaluated,
        )  # fmt: skip

    counted = [
        need(2, prepared=d - dt.timedelta(days=1), valorised=d, advantage=True, evaluated=True),
        need(4, prepared=d + dt.timedelta(days=1), valorised=d),  # late; no advantage
        need(9),
    ]
    q = quality.of(counted, anticipated=4)
    assert (q.prepared, q.valorised, q.evaluated, q.lead_days) == (1, 1, 1, 4)
    assert q.share("company") == 3 / 4 and q.share("prepared") == 1 / 3
    assert quality.of([], 0).share("prepared") is None and quality.of([], 0).lead_days is None


def test_holm_carries_the_running_maximum():
    # worked by hand: sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → 0.06
    ps = [0.01, 0.04, 0.03, 0.005]
    assert statistics.holm(ps) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert statistics.holm(ps) == pytest.approx(holm_by_hand(ps))
    assert statistics.holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])  # capped at 1
