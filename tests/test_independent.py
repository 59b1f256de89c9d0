"""Proved independently (issue 13, point 9): every figure of olap metrics and olap report, for
generated cohorts, against a plain reference written from the docs (tests/independent_ref.py)."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import independent_ref as ref
from tests.independent_ref import near, numbers, shown

SAMPLE = Path(__file__).resolve().parents[1] / "sample-cohort"
TODAY, SEEDS, D = dt.date(2027, 9, 15), (11, 23, 37), dt.date
MORE = "P6 2026-09-28 2026-10-16 P7 2026-11-16 2026-12-11 P8 2027-02-01 2027-02-26 P9 2027-04-12 2027-05-07"
MORE_PERIODS = [MORE.split()[i : i + 3] for i in range(0, 12, 3)]
E, F, A = "entreprise", "formateur", "alternant"
EDGES = [D(2026, 6, 30), D(2026, 7, 1), D(2026, 8, 31), D(2026, 9, 1)]  # a year ago; a school year
MARKED = "entreprise:4 entreprise+alternant:4 formateur+entreprise:3 alternant+entreprise:2 "
MARKED += "entreprise+formateur+alternant:1 formateur:2 alternant:2 formateur+alternant:1"
MARKS = [(m.split("+"), int(w)) for m, w in (x.split(":") for x in MARKED.split())]
LABELS = [(2, ["qualite", "theatre", "mobilite"], 0.1), (1, "all", 0.5), (1, ["qualite"], 0.25)]


class NoAliases(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    ignore_aliases = staticmethod(lambda data: True)  # olap refuses anchors and aliases


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=NoAliases, sort_keys=False, allow_unicode=True)


def approx(value: Any) -> Any:
    return pytest.approx(value, rel=1e-6, abs=1e-9) if isinstance(value, float) else value


def write_learner(rng: random.Random, root: Path, i: int, variant: int, cohort: dict) -> None:
    start, end, days = cohort["start"], cohort["end"], cohort["policy"]["imminence_days"]
    practices, acts = [p["id"] for p in cohort["practices"]], cohort["acts"]

    def rid(letter: str, day: dt.date) -> str:
        return f"{letter}{day:%Y%m%d}-{rng.getrandbits(40):010x}"

    def within(first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=rng.randint(0, (last - first).days))

    def maybe(known: float, value: Any) -> Any:
        return value if rng.random() < known else None

    kind = rng.choices(["contract", "searching", "no-company"], [84, 10, 6])[0]
    lr: dict[str, Any] = {"id": f"alternant-{i:02d}", "key": f"K-{variant}{i:02d}Z"}
    lr.update(first_name=f"Prénom{i}", last_name=f"Nom{i}", status="contract")
    follow_from = start
    if kind == "searching":
        lr["status"] = "searching"
    else:
        late = [D(2025, 8, 25), D(2025, 11, 17), D(2026, 1, 19), D(2026, 10, 5)]
        c_start = rng.choice([D(2025, 9, 1)] * 5 + late)
        lr["contract"] = {"type": "apprentissage", "start": c_start, "end": D(2027, 8, 31)}
        follow_from = max(start, c_start)
    if kind == "contract":
        lr["company"] = {"name": f"Entreprise {i}"}
    lr["trainers"] = [rng.choice(["fdupont", "aberger", "kmessaoudi"])]
    needs, evaluations = [], []
    bounds = [d for p in cohort["periods"] for d in (p["start"], p["end"], p["end"] + ref.DAY)]
    for j in range(rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 10])):
        ident = rng.choice(bounds + EDGES) if rng.random() < 0.2 else within(start, end)
        leads = [0, days, days + 1, rng.randint(days + 2, days + 30), rng.randint(1, days - 1)]
        lead = rng.choices(leads, [10, 6, 5, 6, 73])[0]
        need: dict[str, Any] = {"id": rid("b", ident), "activity": rng.choice(acts)}
        if pr := rng.choice([*practices, None, None, "qualite"]):
            need["practice"] = pr
        marks = rng.choices([m for m, _w in MARKS], [w for _m, w in MARKS])[0]
        need.update(marked_by=list(marks), identified=ident, due=ident + dt.timedelta(days=lead))
        need["detail"] = f"Besoin {j} de l'alternant {i} : {rng.choice(['sauce', 'buffet'])}"
        steps = {
            "prepared": maybe(0.45, ident + dt.timedelta(days=rng.randint(0, lead + 3))),
            "applied": maybe(0.3, need["due"]),
            "valorised": maybe(0.25, need["due"] + dt.timedelta(days=rng.randint(0, 5))),
            "advantage": maybe(0.3, "Responsable du poste en autonomie"),
        }
        if any(steps.values()):
            need["steps"] = {k: v for k, v in steps.items() if v is not None}
        needs.append(need)
        if rng.random() < 0.08:  # the same activity and dates, another detail: not a duplicate
            needs.append({**need, "id": rid("b", ident), "detail": need["detail"] + " (bis)"})
        if rng.random() < 0.5:
            when = need["due"] + dt.timedelta(days=rng.randint(0, 10))
            evaluations.append({"id": rid("e", when), "activity": need["activity"], "date": when})
            evaluations[-1].update(
                level=rng.choice(["A", "EC", "R"]), by="formateur", need=need["id"]
            )
    if rng.random() < 0.3:  # an evaluation answering no need
        evaluations.append({"id": rid("e", end), "activity": acts[0], "date": end})
        evaluations[-1].update(level="EC", by="formateur")
    lr["needs"], lr["evaluations"] = needs, evaluations
    first, last = follow_from - dt.timedelta(days=40), end + dt.timedelta(days=20)
    dates = sorted({within(first, last) for _ in range(rng.randint(0, 4))} | {rng.choice(EDGES)})
    withs = [["tuteur"], ["employeur"], ["tuteur", "employeur"]]
    lr["meetings"] = [{"date": d, "kind": "visio", "with": rng.choice(withs)} for d in dates]
    o: dict[str, Any] = {"rupture": maybe(0.8, False), "dropout": maybe(0.7, False)}
    if kind != "searching" and rng.random() < 0.14:  # early (the first two months) or later
        after = dt.timedelta(days=rng.choice([rng.randint(15, 45), rng.randint(90, 600)]))
        o["rupture"] = min(follow_from + after, end - dt.timedelta(days=10))
    if rng.random() < 0.07:
        o["dropout"] = within(D(2025, 12, 1), D(2027, 5, 31))
    o["exam"] = maybe(0.8, rng.choices(["passed", "failed"], [len(needs) + 2, 3])[0])
    o["placement"] = maybe(0.12, rng.random() < 0.5)
    o["absence_hours"] = maybe(0.85, rng.randint(0, 60) + rng.choice([0, 0.5]))
    o["insertion_6m"] = maybe(0.6, rng.random() < 0.6)
    o["satisfaction_learner"] = maybe(0.8, min(5, 1 + len(needs) // 2 + rng.randint(0, 1)))
    known = [maybe(0.8, rng.randint(1, 5)), maybe(0.1, rng.randint(1, 5)), maybe(0.7, 4)]
    o["satisfaction_company"] = known[variant]  # insufficient for one seed, constant for one
    o["further_study"] = maybe(0.5, rng.random() < 0.3)
    lr["outcomes"] = {k: v for k, v in o.items() if v is not None}  # unknown: left out
    (root / "learners" / f"{lr['id']}.yaml").write_text(dump(lr), encoding="utf-8")


def generate(root: Path, seed: int) -> Path:
    """The sample cohort over two school years, nine company periods, 40 to 60 new learners."""
    variant, rng = SEEDS.index(seed), random.Random(seed)
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("learners"))
    (root / "learners").mkdir()
    cohort = yaml.safe_load((root / "cohort.yaml").read_text(encoding="utf-8"))
    cohort["end"] = D(2027, 6, 30)
    cohort["periods"] += [
        {"id": p, "start": D.fromisoformat(a), "end": D.fromisoformat(b)}
        for p, a, b in MORE_PERIODS
    ]
    label = dict(zip(("min_needs", "columns", "tolerance"), LABELS[variant], strict=True))
    label["per"] = "action"
    cohort["policy"] = {"imminence_days": (21, 14, 10)[variant], "label": label}
    (root / "cohort.yaml").write_text(dump(cohort), encoding="utf-8")
    referentiel = yaml.safe_load((root / "referentiel.yaml").read_text(encoding="utf-8"))
    cohort["acts"] = [a["id"] for g in referentiel["groups"] for a in g["activities"]]
    for i in range(rng.randint(40, 60)):
        write_learner(rng, root, i, variant, cohort)
    return root


def set_per(root: Path, per: str) -> None:
    cohort = yaml.safe_load((root / "cohort.yaml").read_text(encoding="utf-8"))
    cohort["policy"]["label"]["per"] = per
    (root / "cohort.yaml").write_text(dump(cohort), encoding="utf-8")


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp(f"gen{request.param}") / "cohorte", request.param)


@pytest.fixture
def today(_environment: None, monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setenv("OLAP_TODAY", TODAY.isoformat())
    return TODAY


WINDOWS = {"all": (None, None), "window": (D(2025, 10, 20), D(2027, 3, 1))}


def run(olap: Any, generated: Path, tmp: Path, per: str, window: str, *args: Any) -> Any:
    """Run olap on a copy of the cohort judged *per* unit; the reference's figures."""
    root = tmp / "cohorte"
    shutil.copytree(generated, root)
    set_per(root, per)
    start, end = WINDOWS[window]
    dates = ["--from", start.isoformat(), "--to", end.isoformat()] if start and end else []
    result = olap("-C", root, *args, *dates)
    assert result.code == 0, result.output
    return result.stdout, ref.figures(root, TODAY, start, end)


def test_generated_cohort_is_valid(generated: Path, olap: Any, today: dt.date) -> None:
    problems = json.loads(olap("-C", generated, "validate", "--format", "json").stdout)
    assert [p for p in problems if p["severity"] == "error"] == []
    assert {p["code"] for p in problems} >= {"not-marked-by-company", "not-imminent"}


@pytest.mark.parametrize("per", ["action", "year", "period"])
@pytest.mark.parametrize("window", WINDOWS)
def test_metrics_json_matches_the_reference(
    generated: Path, tmp_path: Path, olap: Any, today: dt.date, per: str, window: str
) -> None:
    out, want = run(olap, generated, tmp_path, per, window, "metrics", "--format", "json")
    got, rows = json.loads(out), want["rows"]
    # the table: per learner and per practice, the total, the proactive flag, the outcomes
    assert [p["id"] for p in got["practices"]] == [p["id"] for p in want["cohort"]["practices"]]
    assert {r["key"]: r for r in got["learners"]} == {
        k: {"key": k, "name": None, "counts": r["counts"], "total": r["total"]}
        | {
            "proactive": r["proactive"],
            "outcomes": {i: approx(v) for i, v in r["outcomes"].items()},
        }
        for k, r in rows.items()
    }
    # the annex: the needs counted, no more
    assert sorted((a["key"], a["identified"], a["activity"]) for a in got["annex"]) == sorted(
        (k, n["identified"].isoformat(), n["activity"]) for k, r in rows.items() for n in r["needs"]
    )
    # the label: granted, share, units, who falls short where and by how many, who is not judged
    lab, wl = got["label"], want["label"]
    assert {s["key"]: s["missing"] for s in lab["short"]} == wl.pop("short")
    assert all("learner" not in s for s in lab["short"])
    assert {**lab, "short": None, "exempt": sorted(lab["exempt"])} == {
        **{k: approx(v) for k, v in wl.items()},
        "short": None,
    }
    # the quality of anticipation, per practice and per learner
    for scope, key in (("practices", "practice"), ("learners", "key")):
        mine = {q.pop(key): q for q in got["quality"][scope]}
        assert mine == {
            k: {n: approx(v) for n, v in q.items()} for k, q in want["quality"][scope].items()
        }
    # the statistics: n, r or rho, interval, p, Holm, tests, groups, risk difference, reason
    assert got["statistics"] == [
        {k: approx(v) for k, v in ws.items() if k != "difference"}
        | {"difference": {k: approx(v) for k, v in ws["difference"].items()}}
        for ws in want["statistics"]
    ]


def check_quality(rows: list[list[str]], want: dict[str, dict], names: dict[str, str]) -> None:
    cells = {r[0]: r[1:] for r in rows[1:]}
    assert set(cells) == {names.get(k, k) for k in want}
    for k, q in want.items():
        c = cells[names.get(k, k)]
        assert c[0] == str(q["counted"]) and shown(c[6], q["median_lead_days"], 1, 1), (k, c)
        for cell, share in zip(c[1:6], ref.SHARES, strict=True):
            assert shown(cell, q[f"{share}_share"], 100), (k, share, cell)


def check_sentence(text: str, st: dict[str, Any]) -> None:
    n, reason, diff = st["n"], st["reason"], st["difference"]
    if reason == "small-groups":
        said = numbers(
            r": (\d+) alternants? avec « oui » et (\d+) avec « non » parmi les (\d+)", text
        )
        assert said == [str(st["groups"]["yes"]), str(st["groups"]["no"]), str(n)]
        assert not re.search(r"p [=<]", text)
    elif reason == "insufficient":
        assert numbers(r": (\d+) alternants? dont la valeur est connue, moins", text) == [str(n)]
    elif reason == "no-variation":
        assert numbers(r"pour les (\d+) alternants dont .* rien à mettre en relation", text) == [
            str(n)
        ]
    else:
        pattern = r"\((\d+) alternants dont .*\) : r(?:ho)? = (\S+), IC à 95 % \[(\S+) ; (\S+)\], p ([=<]) ([\d,]+)"
        said = numbers(pattern, text)
        assert said[0] == str(n)
        for got, value in zip(said[1:4], (st["value"], st["low"], st["high"]), strict=True):
            assert near(got, value, 2), (text, value)
        assert st["p"] < 0.001 if said[4] == "<" else near(said[5], st["p"], 3), text
        holm = re.search(r"pour les (\d+) indicateurs testés : p ([=<]) ([\d,]+)\)", text)
        assert (holm is not None) == (st["tests"] > 1), text
        if holm:
            assert holm.group(1) == str(st["tests"])
            assert st["p_holm"] < 0.001 if holm.group(2) == "<" else near(holm[3], st["p_holm"], 3)
        assert ("Aucune relation n'est établie" in text) == (st["p_holm"] >= 0.05), text
        if diff.get("reason"):
            groups = [str(diff[g]["n"]) for g in ("proactive", "not_proactive")]
            assert numbers(r"\(ici (\d+) et (\d+)\)", text) == groups
        elif diff:
            pattern = r"(\d+)/(\d+) \(.*\) ; parmi les autres : (\d+)/(\d+) \(.*\) ; un écart de (\S+) points, IC à 95 % \[(\S+) ; (\S+)\]"
            said = numbers(pattern, text)
            pro, non = diff["proactive"], diff["not_proactive"]
            assert said[:4] == [str(x) for x in (pro["yes"], pro["n"], non["yes"], non["n"])]
            values = (diff["value"], diff["low"], diff["high"])
            for got, value in zip(said[4:], values, strict=True):
                assert near(got, value * 100), (text, value)


REPORTS = [("action", "all"), ("period", "window"), ("year", "all")]


@pytest.mark.parametrize(("per", "window"), REPORTS)
def test_report_shows_the_reference_figures(
    generated: Path, tmp_path: Path, olap: Any, today: dt.date, per: str, window: str
) -> None:
    out = tmp_path / "rapport.html"
    _out, want = run(olap, generated, tmp_path, per, window, "report", "--out", out)
    tables, items, paragraphs = ref.page(out.read_text(encoding="utf-8"))
    rows, lab = want["rows"], want["label"]
    # the summary: learners, needs recorded, needs counted, proactive learners
    summary = tables["Les actions de formation et leurs chiffres"][1]
    recorded = sum(len(lr.get("needs") or []) for lr in want["learners"])
    proactive, counted = (sum(r[k] for r in rows.values()) for k in ("proactive", "total"))
    assert summary[2:5] == [str(len(rows)), str(recorded), str(counted)]
    said = numbers(r"^(\d+) \((\S+) %\)$", summary[5])
    assert said[0] == str(proactive) and near(said[1], 100 * proactive / len(rows))
    # the label: the share, the verdict, who is not judged, who falls short where and how much
    pattern = r"(\S+) % des alternants jugés y satisfont : le label (n'est pas|est) accordé"
    said = numbers(pattern, " ".join(paragraphs))
    assert near(said[0], 100 * lab["share"]) and (said[1] == "est") == lab["granted"]
    exempt = [int(p.split()[0]) for p in paragraphs if "ne sont pas jugés" in p]
    assert exempt == ([len(lab["exempt"])] if lab["exempt"] else [])
    units = {"l'action de formation": "action"} | {f"l'année scolaire {u}": u for u in lab["units"]}
    units |= {f"la période {u}": u for u in lab["units"]}
    short = {}
    for key, _sep, text in (item.partition(" : ") for item in items):
        if key in rows and "manquant" in text:
            found = re.findall(r"(\d+) besoins? manquants? pour (.+?)(?:, |\.$)", text)
            short[key] = {units[u]: int(n) for n, u in found}
    assert short == lab["short"]
    # the Annexe 7 table
    annex = "Besoins imminents anticipés par pratique et indicateurs, une ligne par alternant (— : inconnu)"
    body = {r[0]: r[1:] for r in tables[annex][1:]}
    assert set(body) == set(rows)
    practices = [p["id"] for p in want["cohort"]["practices"]]
    for key, row in rows.items():
        cells = body[key]
        counts = [str(row["counts"][p]) for p in practices]
        assert cells[: len(practices) + 1] == [*counts, str(row["total"])], key
        assert shown(cells[len(practices) + 1], row["proactive"]), key
        for cell, k in zip(cells[len(practices) + 2 :], ref.INDICATORS, strict=True):
            assert shown(cell, row["outcomes"][k], 1, 1), (key, k, cell)
    # the quality of anticipation, per practice and per learner
    names = {p["id"]: p["label"] for p in want["cohort"]["practices"]}
    caption = "Qualité de l'anticipation par {} (— : aucun besoin à rapporter)"
    check_quality(tables[caption.format("pratique")], want["quality"]["practices"], names)
    check_quality(tables[caption.format("alternant")], want["quality"]["learners"], {})
    # the charter: meetings per learner (two a year met or not), paths out
    caption = "Rencontres avec l'entreprise sur les douze derniers mois, une ligne par alternant (— : non demandé, pas de contrat)"
    meetings = {r[0]: r[1:] for r in tables[caption][1:]}
    assert meetings == {
        k: ["—", "—"] if m is None else [str(m[0]), "oui" if m[1] else "non"]
        for k, m in want["meetings"].items()
    }
    paths = tables["Nombre d'alternants par type de sortie"][1:]
    assert [int(r[1]) for r in paths] == want["paths"]
    # the statistics in words
    names = dict(zip(ref.INDICATORS, tables[annex][0][-7:], strict=True))
    for st in want["statistics"]:
        name = names[st["indicator"]]
        said = [i for i in items if i.startswith((name + " :", name + " ("))]
        assert len(said) == 1, name
        check_sentence(said[0], st)


EXPECTED = "small-groups insufficient no-variation computed risk-difference several-tests"
EXPECTED += " label-granted-True label-granted-False not-judged"


def test_generated_data_exercises_every_branch(tmp_path: Path) -> None:
    """The generated cohorts reach every branch of the rules the figures depend on."""
    seen: set[str] = set()
    asked = set(EXPECTED.split())
    for seed in SEEDS:
        root = generate(tmp_path / str(seed), seed)
        want = ref.figures(root, TODAY)
        cohort, learners = want["cohort"], want["learners"]
        days, periods = cohort["policy"]["imminence_days"], cohort["periods"]
        assert 40 <= len(learners) <= 60
        for lr in learners:
            o, held = lr.get("outcomes") or {}, want["meetings"][lr["key"]]
            for n in lr.get("needs") or []:
                lead = (n["due"] - n["identified"]).days
                by, steps = n["marked_by"], n.get("steps", {})
                between = not any(p["start"] <= n["identified"] <= p["end"] for p in periods)
                flags = {
                    "trainer or learner only, else counted": E not in by and 1 <= lead <= days,
                    "confirmed by the company": E in by and by[0] != E,
                    "same day": lead == 0 and E in by,
                    "exactly imminence_days": lead == days and E in by,
                    "beyond imminence_days": lead > days and E in by,
                    "default practice": "practice" not in n,
                    "between two periods": between and ref.period_of(n["identified"], periods),
                    "prepared on the due day": steps.get("prepared") == n["due"],
                    "prepared after due": steps.get("prepared", n["due"]) > n["due"],
                    "valorised, no advantage": "valorised" in steps and "advantage" not in steps,
                }
                seen |= {k for k, v in flags.items() if v}
                asked |= set(flags)
            flags = {
                "rupture": isinstance(o.get("rupture"), dt.date),
                "drop-out": isinstance(o.get("dropout"), dt.date),
                "searching": lr["status"] == "searching",
                "in contract without company": lr["status"] == "contract" and "company" not in lr,
                "meetings met": held and held[1] and held[0] >= 2,
                "meetings short": held and not held[1],
                "meetings in the first two months": held and held[1] and held[0] < 2,
            }
            seen |= {k for k, v in flags.items() if v}
            asked |= set(flags)
        seen |= {f"counted in {k}" for k, q in want["quality"]["practices"].items() if q["counted"]}
        for st in want["statistics"]:
            seen |= {st["reason"] or "computed", "risk-difference" * ("value" in st["difference"])}
            seen |= {"several-tests"} if st["tests"] > 1 else set()
        for per in ("action", "year", "period"):
            set_per(root, per)
            lab = ref.figures(root, TODAY)["label"]
            seen |= {f"label-granted-{lab['granted']}", "not-judged" * bool(lab["exempt"])}
    asked |= {f"counted in {p['id']}" for p in cohort["practices"]}
    assert asked <= seen, asked - seen
