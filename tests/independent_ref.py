"""A plain reference for every figure of ``olap metrics`` and ``olap report`` (issue 13,
point 9), from docs/metrics.md and docs/format.md alone: PyYAML and SciPy, nothing from
``olapcli`` (a mistake in the product's rules cannot be repeated here)."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import statistics
from pathlib import Path
from typing import Any

import yaml
from scipy import stats as sps

DAY = dt.timedelta(days=1)
#: docs/metrics.md: a preparation at the centre is `prepared`, or steps 6 to 8 of the cycle
PREPARATION = ("prepared", "advised", "technical", "general")


def prepared_day(steps: dict) -> dt.date | None:
    """The first day of a preparation at the centre in a need's *steps* (a step is a
    date or a mapping with its date), None when there is none."""
    days = []
    for key in PREPARATION:
        value = steps.get(key)
        if value is None:
            continue
        value = value.get("date") if isinstance(value, dict) else value
        days.append(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)))
    return min(days) if days else None


INDICATORS = {
    "rupture": "binary",
    "exam": "binary",
    "placement": "binary",
    "absence_hours": "continuous",
    "insertion_6m": "binary",
    "satisfaction_learner": "ordinal",
    "satisfaction_company": "ordinal",
}
METHOD = {"binary": "point-biserial", "continuous": "pearson", "ordinal": "spearman"}
SHARES = ("company", "prepared", "applied", "evaluated", "valorised")


#: yaml.safe_load, with LibYAML when there is one (the same safe loader, faster)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(root: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """cohort.yaml and every learner file, as plain data."""
    cohort = yaml.load((root / "cohort.yaml").read_text(encoding="utf-8"), Loader=LOADER)
    files = sorted((root / "learners").glob("*.yaml"))
    return cohort, [yaml.load(p.read_text(encoding="utf-8"), Loader=LOADER) for p in files]


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def anticipated(need: dict, cohort: dict, start: dt.date | None, end: dt.date | None) -> bool:
    """The count rule without the company's mark: a declared practice, identified strictly
    before its due day and at most imminence_days before it, within --from/--to."""
    declared = {p["id"] for p in cohort["practices"]}
    days = cohort.get("policy", {}).get("imminence_days", 21)
    ident, due = need["identified"], need["due"]
    if need.get("practice", "qualite") not in declared:
        return False
    if not ident < due or (due - ident).days > days:
        return False
    if start is not None and ident < start:
        return False
    return not (end is not None and ident > end)


def counted(need: dict, cohort: dict, start: dt.date | None, end: dt.date | None) -> bool:
    return "entreprise" in need["marked_by"] and anticipated(need, cohort, start, end)


def practice(need: dict) -> str:
    return need.get("practice", "qualite")  # the default practice


def outcomes(learner: dict) -> dict[str, Any]:
    """The indicators as the table gives them: unknown (absent) is None, never « no »."""
    o = learner.get("outcomes") or {}
    rupture = o.get("rupture")
    exam = o.get("exam")
    hours = o.get("absence_hours")
    return {
        "rupture": None if rupture is None else rupture is not False,
        "exam": None if exam is None else exam == "passed",
        "placement": o.get("placement"),
        "absence_hours": None if hours is None else float(hours),
        "insertion_6m": o.get("insertion_6m"),
        "satisfaction_learner": o.get("satisfaction_learner"),
        "satisfaction_company": o.get("satisfaction_company"),
    }


def table(cohort: dict, learners: list[dict], start=None, end=None) -> dict[str, dict]:
    """Per learner key: counts per practice, total, proactive, outcomes, the needs counted
    and how many were anticipated whoever marked them."""
    out = {}
    for lr in learners:
        needs = lr.get("needs") or []
        mine = [n for n in needs if counted(n, cohort, start, end)]
        counts = {p["id"]: 0 for p in cohort["practices"]}
        for n in mine:
            counts[practice(n)] += 1
        total = sum(counts.values())
        out[lr["key"]] = {
            "counts": counts,
            "total": total,
            "proactive": total > 0,
            "outcomes": outcomes(lr),
            "needs": mine,
            "anticipated": [n for n in needs if anticipated(n, cohort, start, end)],
            "answered": {e["need"] for e in lr.get("evaluations") or [] if e.get("need")},
            "learner": lr,
        }
    return out


def follow(cohort: dict, lr: dict) -> tuple[dt.date, dt.date] | None:
    """The days the centre follows the learner in a company: none when not in contract or
    without a company; from the later of the cohort's and the contract's start, to the
    cohort's end or the day before a rupture or a drop-out."""
    if lr.get("status") != "contract" or not lr.get("company"):
        return None
    begin = cohort["start"]
    if lr.get("contract"):
        begin = max(begin, lr["contract"]["start"])
    finish = cohort["end"]
    o = lr.get("outcomes") or {}
    for stop in (_date(o.get("rupture")), _date(o.get("dropout"))):
        if stop is not None:
            finish = min(finish, stop - DAY)
    return (begin, finish) if begin <= finish else None


def period_of(day: dt.date, periods: list[dict]) -> str | None:
    """The company period a need identified on *day* belongs to: the one it falls in, or
    the following one when between two (or before the first); after the last, none."""
    for p in sorted(periods, key=lambda p: p["start"]):
        if day <= p["end"]:
            return p["id"]
    return None


def school_years(first: dt.date, last: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    years = []
    y = first.year - (first.month < 9)
    while dt.date(y, 9, 1) <= last:
        years.append((f"{y}-{y + 1}", dt.date(y, 9, 1), dt.date(y + 1, 8, 31)))
        y += 1
    return years


def label(cohort: dict, rows: dict[str, dict], start=None, end=None) -> dict[str, Any]:
    policy = {"min_needs": 1, "columns": ["qualite"], "per": "action", "tolerance": 0.10}
    policy.update(cohort.get("policy", {}).get("label") or {})
    columns = policy["columns"]
    if columns == "all":
        columns = [p["id"] for p in cohort["practices"]]
    lo = max(cohort["start"], start) if start else cohort["start"]
    hi = min(cohort["end"], end) if end else cohort["end"]
    per = policy["per"]
    if per == "action":
        units = [("action", lo, hi)]
    elif per == "year":
        units = [
            u for u in school_years(cohort["start"], cohort["end"]) if u[1] <= hi and u[2] >= lo
        ]
    else:
        units = [(p["id"], p["start"], p["end"]) for p in cohort["periods"]]
        units = [u for u in units if u[1] <= hi and u[2] >= lo]
    short, exempt, met = {}, [], 0
    for key, row in rows.items():
        asked = units
        if per == "period":
            span = follow(cohort, row["learner"])
            asked = [u for u in units if span and not (u[2] < span[0] or u[1] > span[1])]
            if not asked:
                exempt.append(key)
                continue
        needs = [n for n in row["needs"] if practice(n) in columns]
        missing = {}
        for name, first, last in asked:
            if per == "period":
                n = sum(period_of(x["identified"], cohort["periods"]) == name for x in needs)
            elif per == "year":
                n = sum(first <= x["identified"] <= last for x in needs)
            else:
                n = len(needs)
            if n < policy["min_needs"]:
                missing[name] = policy["min_needs"] - n
        if missing:
            short[key] = missing
        else:
            met += 1
    judged = len(rows) - len(exempt)
    share = met / judged if judged else 0.0
    required = 1 - policy["tolerance"]
    return {
        "granted": judged > 0 and share >= required - 1e-12,
        "share": share,
        "required_share": required,
        "min_needs": policy["min_needs"],
        "columns": list(columns),
        "per": per,
        "units": [u[0] for u in units],
        "short": short,
        "exempt": sorted(exempt),
    }


def quality_of(needs: list[dict], anticipated_n: int, answered: set[str]) -> dict[str, Any]:
    n, steps = len(needs), [x.get("steps") or {} for x in needs]
    made = {
        "prepared": sum(
            1
            for x, s in zip(needs, steps, strict=True)
            if (prepared_day(s) or x["due"] + DAY) <= x["due"]
        ),
        "applied": sum(1 for s in steps if s.get("applied")),
        "evaluated": sum(1 for x in needs if x["id"] in answered),
        "valorised": sum(1 for s in steps if s.get("valorised") and s.get("advantage")),
    }
    out = {"counted": n, "anticipated": anticipated_n}
    out["company_share"] = n / anticipated_n if anticipated_n else None
    out.update({f"{k}_share": v / n if n else None for k, v in made.items()})
    lead = statistics.median((x["due"] - x["identified"]).days for x in needs) if n else None
    return {**out, "median_lead_days": lead}


def quality(cohort: dict, rows: dict[str, dict]) -> dict[str, dict[str, dict]]:
    learners = {
        k: quality_of(r["needs"], len(r["anticipated"]), r["answered"]) for k, r in rows.items()
    }
    practices = {}
    for p in cohort["practices"]:
        pid = p["id"]
        needs, answered, anticipated_n = [], set(), 0
        for r in rows.values():
            needs += [n for n in r["needs"] if practice(n) == pid]
            answered |= r["answered"]
            anticipated_n += sum(practice(n) == pid for n in r["anticipated"])
        practices[pid] = quality_of(needs, anticipated_n, answered)
    return {"practices": practices, "learners": learners}


def meetings(cohort: dict, lr: dict, today: dt.date) -> tuple[int, bool] | None:
    """Meetings (tutor or employer) in the twelve months up to today, or up to the end of
    the follow-up once over; met when two or more, or still in the first two months."""
    span = follow(cohort, lr)
    if span is None:
        return None
    day = min(today, span[1])
    held = [m["date"] for m in lr.get("meetings") or [] if span[0] <= m["date"] <= span[1]]
    n = sum(1 for d in held if day - dt.timedelta(days=364) <= d <= day)
    return n, (day < span[0] + dt.timedelta(days=61)) or n >= 2


def paths_out(learners: list[dict]) -> list[int]:
    o = [lr.get("outcomes") or {} for lr in learners]
    insertion = [x.get("insertion_6m") for x in o]
    return [
        sum(_date(x.get("rupture")) is not None for x in o),
        sum(_date(x.get("dropout")) is not None for x in o),
        sum(x.get("further_study") is True for x in o),
        sum(v is True for v in insertion),
        sum(v is False for v in insertion),
        sum(v is None for v in insertion),
    ]


def holm(ps: list[float]) -> list[float]:
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    adjusted, running = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        adjusted[i] = running
    return adjusted


def newcombe(a: int, n1: int, b: int, n2: int) -> dict[str, Any]:
    """Newcombe's hybrid score interval (method 10) of p1 − p2 from two Wilson intervals."""
    out: dict[str, Any] = {"proactive": {"n": n1, "yes": a}, "not_proactive": {"n": n2, "yes": b}}
    if min(n1, n2) < 5:
        out["reason"] = "small-groups"
        return out
    l1, u1 = sps.binomtest(a, n1).proportion_ci(method="wilson")
    l2, u2 = sps.binomtest(b, n2).proportion_ci(method="wilson")
    p1, p2 = a / n1, b / n2
    d = p1 - p2
    out["value"] = d
    out["low"] = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    out["high"] = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return out


def verdict(indicator: str, kind: str, pairs: list[tuple[int, Any]]) -> dict[str, Any]:
    known = [(float(t), y) for t, y in pairs if y is not None]
    xs = [x for x, _ in known]
    ys = [float(y) for _, y in known]
    v: dict[str, Any] = {"indicator": indicator, "method": METHOD[kind], "n": len(known)}
    v.update(value=None, low=None, high=None, p=None, p_holm=None, tests=0, reason=None)
    v.update(groups={}, difference={})
    if kind == "binary":
        yes = sum(1 for y in ys if y == 1.0)
        v["groups"] = {"yes": yes, "no": len(ys) - yes}
        pro = [y for x, y in known if x > 0]
        non = [y for x, y in known if x == 0]
        v["difference"] = newcombe(sum(map(bool, pro)), len(pro), sum(map(bool, non)), len(non))
        if yes < 5 or len(ys) - yes < 5:
            v["reason"] = "small-groups"
            return v
    elif len(known) < 8:
        v["reason"] = "insufficient"
        return v
    if len(set(xs)) == 1 or len(set(ys)) == 1:
        v["reason"] = "no-variation"
        return v
    n = len(known)
    if kind == "ordinal":
        res = sps.spearmanr(xs, ys)
        rho = float(res.statistic)
        z = sps.norm.ppf(0.975)
        se = math.sqrt((1 + rho * rho / 2) / (n - 3))
        v["value"], v["p"] = rho, float(res.pvalue)
        v["low"] = math.tanh(math.atanh(rho) - z * se)
        v["high"] = math.tanh(math.atanh(rho) + z * se)
        return v
    res = sps.pointbiserialr(ys, xs) if kind == "binary" else sps.pearsonr(xs, ys)
    ci = sps.pearsonr(xs, ys).confidence_interval(0.95)  # Fisher's z
    v["value"], v["p"] = float(res.statistic), float(res.pvalue)
    v["low"], v["high"] = float(ci.low), float(ci.high)
    return v


def statistics_of(rows: dict[str, dict]) -> list[dict[str, Any]]:
    found = [
        verdict(k, kind, [(r["total"], r["outcomes"][k]) for r in rows.values()])
        for k, kind in INDICATORS.items()
    ]
    tested = [v for v in found if v["p"] is not None]
    for v, p in zip(tested, holm([v["p"] for v in tested]), strict=True):
        v["p_holm"], v["tests"] = p, len(tested)
    return found


def figures(root: Path, today: dt.date, start=None, end=None) -> dict[str, Any]:
    """Every figure of the cohort at *root*, from the docs."""
    cohort, learners = load(root)
    rows = table(cohort, learners, start, end)
    return {
        "cohort": cohort,
        "learners": learners,
        "rows": rows,
        "label": label(cohort, rows, start, end),
        "quality": quality(cohort, rows),
        "statistics": statistics_of(rows),
        "meetings": {lr["key"]: meetings(cohort, lr, today) for lr in learners},
        "paths": paths_out(learners),
    }


def page(text: str) -> tuple[dict[str, list[list[str]]], list[str], list[str]]:
    """The report's tables (caption → rows of cell texts), list items and paragraphs."""
    text = re.sub(r"<(style|svg)\b.*?</\1>", "", text, flags=re.S)
    tables = {}
    for body in re.findall(r"<table\b[^>]*>(.*?)</table>", text, flags=re.S):
        caption = re.search(r"<caption>(.*?)</caption>", body, flags=re.S)
        rows = re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, flags=re.S)
        cells = [re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", tr, flags=re.S) for tr in rows]
        tables[plain(caption.group(1) if caption else "")] = [[plain(c) for c in r] for r in cells]
    items = [plain(x) for x in re.findall(r"<li\b[^>]*>(.*?)</li>", text, flags=re.S)]
    return tables, items, [plain(x) for x in re.findall(r"<p\b[^>]*>(.*?)</p>", text, flags=re.S)]


def plain(fragment: str) -> str:
    return norm(html.unescape(re.sub(r"<[^>]+>", "", fragment)))


def norm(text: str) -> str:
    """No-break spaces as spaces, the minus sign as a hyphen, spaces collapsed."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2212", "-")
    return " ".join(text.split())


def number(text: str) -> float:
    """A French-formatted number (« 1 234,5 », « 64 % ») as a float."""
    return float(text.replace("%", "").replace(" ", "").replace(",", "."))


def near(text: str, value: float, digits: int = 0) -> bool:
    """Is *text* (French-formatted) *value* at the precision shown?"""
    return abs(number(text) - value) <= 0.5 * 10**-digits + 1e-9


def shown(cell: str, value: Any, scale: float = 1, digits: int = 0) -> bool:
    """Is *cell* the report's rendering of *value*: — (unknown), oui / non, a number?"""
    if value is None or isinstance(value, bool):
        return cell == {None: "—", True: "oui", False: "non"}[value]
    return near(cell, value * scale, digits)


def numbers(pattern: str, text: str) -> list[str]:
    m = re.search(pattern, text)
    assert m, (pattern, text)
    return list(m.groups())
