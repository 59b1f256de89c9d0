"""The statistics and the label in words: one plain sentence per indicator, the cells of
the statistics tables (terminal, XLSX), and what the label asked and who falls short."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from olapcli.i18n import _, language, ngettext
from olapcli.render.formats import fixed, percent

if TYPE_CHECKING:
    from olapcli.core.derive.stats import Statistic


def p_value(p: float) -> str:
    """A p-value as read: three decimals, « < 0.001 » below."""
    return "< " + fixed(0.001, 3) if p < 0.001 else fixed(p, 3)


def p_phrase(p: float) -> str:
    """« p = 0.027 », or « p < 0.001 »."""
    return "p < " + fixed(0.001, 3) if p < 0.001 else "p = " + fixed(p, 3)


def interval(low: float, high: float, digits: int = 2, scale: float = 1) -> str:
    """A 95 % interval: [low; high] (« [low ; high] » in French)."""
    sep = " ; " if language() == "fr" else "; "
    return f"[{fixed(low * scale, digits)}{sep}{fixed(high * scale, digits)}]"


def method_name(method: str) -> str:
    """The test of a verdict, in words."""
    return {
        "point-biserial": _("point-biserial correlation"),
        "pearson": _("Pearson's correlation"),
        "spearman": _("Spearman's rank correlation"),
    }[method]


def _symbol(method: str) -> str:
    return "rho" if method == "spearman" else "r"


def _strength(value: float) -> str:
    size = abs(value)
    return _("strong") if size >= 0.5 else _("moderate") if size >= 0.3 else _("weak")


def sentence(stat: Statistic) -> str:
    """The verdict on one indicator, said once: n, the method, the effect with its 95 %
    interval, the raw and Holm-adjusted p-values, and what it means — or why no
    comparison is made (then no p-value)."""
    from olapcli.core.derive.impact import indicator_label
    from olapcli.core.derive.stats import MIN_GROUP, MIN_N

    name = indicator_label(stat.indicator)
    if stat.reason == "small-groups":
        return ngettext(
            "{name}: {yes} learner with « yes » and {no} with « no » among the {n} whose "
            "outcome is known; a comparison needs at least {min} learners on each side, so "
            "none is made and no p-value is given.",
            "{name}: {yes} learners with « yes » and {no} with « no » among the {n} whose "
            "outcome is known; a comparison needs at least {min} learners on each side, so "
            "none is made and no p-value is given.",
            stat.groups["yes"],
        ).format(name=name, min=MIN_GROUP, n=stat.n, **stat.groups)
    if stat.reason == "insufficient":
        return ngettext(
            "{name}: {n} learner whose value is known, fewer than the {min} a correlation "
            "needs; no statistic is given.",
            "{name}: {n} learners whose value is known, fewer than the {min} a correlation "
            "needs; no statistic is given.",
            stat.n,
        ).format(name=name, n=stat.n, min=MIN_N)
    if stat.reason == "no-variation":
        return _(
            "{name}: the outcome, or the number of anticipated needs, is the same for all "
            "{n} learners whose outcome is known; there is nothing to relate."
        ).format(name=name, n=stat.n)
    assert stat.value is not None and stat.p is not None and stat.low is not None
    assert stat.high is not None and stat.p_holm is not None
    if stat.tests > 1:
        adjusted = _(" (adjusted by Holm's method for the {m} indicators tested: {p})").format(
            m=stat.tests, p=p_phrase(stat.p_holm)
        )
    else:
        adjusted = ""
    if stat.established:
        direction = _("positive") if stat.value > 0 else _("negative")
        verdict = _(
            "A {strength} {direction} relation with the number of anticipated needs."
        ).format(strength=_strength(stat.value), direction=direction)
    else:
        verdict = _("No relation is established: it may be chance.")
    out = _(
        "{name} ({n} learners whose outcome is known; {method} with the number of "
        "anticipated needs): {symbol} = {value}, 95 % CI {ci}, {p}{adjusted}. {verdict}"
    ).format(
        name=name,
        n=stat.n,
        method=method_name(stat.method),
        symbol=_symbol(stat.method),
        value=fixed(stat.value),
        ci=interval(stat.low, stat.high),
        p=p_phrase(stat.p),
        adjusted=adjusted,
        verdict=verdict,
    )
    return out + (" " + groups(stat) if stat.difference else "")


def groups(stat: Statistic) -> str:
    """Proactive learners against the others on a yes/no outcome, with the risk
    difference and its Newcombe interval, or why they are not compared."""
    from olapcli.core.derive.stats import MIN_GROUP

    diff = stat.difference
    pro, non = diff["proactive"], diff["not_proactive"]
    if diff.get("reason"):
        return _(
            "Proactive learners and the others are not compared: that needs at least {min} "
            "in each group (here {a} and {b})."
        ).format(min=MIN_GROUP, a=pro["n"], b=non["n"])
    return _(
        "« Yes » among proactive learners: {a}/{na} ({ra}); among the others: {b}/{nb} "
        "({rb}); a difference of {d} points, 95 % CI {ci} (Newcombe)."
    ).format(
        a=pro["yes"],
        na=pro["n"],
        ra=percent(pro["yes"] / pro["n"]),
        b=non["yes"],
        nb=non["n"],
        rb=percent(non["yes"] / non["n"]),
        d=fixed(diff["value"] * 100, 0),
        ci=interval(diff["low"], diff["high"], 0, 100),
    )


def reason_text(reason: str | None) -> str:
    """Why a statistic is not given, in a few words (tables)."""
    return {
        "insufficient": _("sample too small"),
        "small-groups": _("groups under 5: no comparison"),
        "no-variation": _("no variation"),
    }.get(reason or "", "")


def cells(stat: Statistic) -> list[Any]:
    """A verdict as table cells: indicator, method, n, effect and interval, p, Holm's p,
    proactive − others (points, interval), note."""
    from olapcli.core.derive.impact import indicator_label

    effect = ci = p = adjusted = None
    if stat.value is not None and stat.low is not None and stat.high is not None:
        effect = f"{_symbol(stat.method)} = {fixed(stat.value)}"
        ci = interval(stat.low, stat.high)
        p = p_value(stat.p) if stat.p is not None else None
        adjusted = p_value(stat.p_holm) if stat.p_holm is not None else None
    diff = stat.difference
    gap = None
    if diff.get("value") is not None:
        gap = f"{fixed(diff['value'] * 100, 0)} {interval(diff['low'], diff['high'], 0, 100)}"
    return [
        indicator_label(stat.indicator),
        method_name(stat.method),
        stat.n,
        effect,
        ci,
        p,
        adjusted,
        gap,
        reason_text(stat.reason),
    ]


def cells_header() -> list[str]:
    """The header of :func:`cells`."""
    return [
        _("Indicator"),
        _("Method"),
        "n",
        _("Effect"),
        _("95 % CI"),
        "p",
        _("p (Holm)"),
        _("Proactive − others (points)"),
        _("Note"),
    ]


def label_rule(label: Any, practices: dict[str, str]) -> str:
    """What the label asks, in words (*practices*: id → French label)."""
    columns = ", ".join(f"« {practices.get(c, c)} »" for c in label.columns)
    per = {
        "action": _("over the whole training action"),
        "year": _("in each school year"),
        "period": _("in each company period the learner is followed in"),
    }[label.per]
    return ngettext(
        "The label asks that at least {required} of the learners have at least {min} "
        "anticipated imminent need in {columns}, {per}.",
        "The label asks that at least {required} of the learners have at least {min} "
        "anticipated imminent needs in {columns}, {per}.",
        label.min_needs,
    ).format(required=percent(label.required_share), min=label.min_needs, columns=columns, per=per)


def label_result(label: Any) -> str:
    """Whether the label is granted, with the share meeting it."""
    text = _("{share} of the learners judged meet it: the label is granted.")
    if not label.granted:
        text = _("{share} of the learners judged meet it: the label is not granted.")
    return text.format(share=percent(label.share))


def unit_name(unit: str, per: str) -> str:
    """A unit of the label in words: the action, a school year, a company period."""
    if per == "action":
        return _("the training action")
    if per == "year":
        return _("school year {year}").format(year=unit)
    return _("period {period}").format(period=unit)


def shortfall(missing: dict[str, int], per: str) -> str:
    """What one learner lacks, in words: « 2 needs missing in period P3, 1 in P4 »."""
    return ", ".join(
        ngettext("{n} need missing in {unit}", "{n} needs missing in {unit}", n).format(
            n=n, unit=unit_name(unit, per)
        )
        for unit, n in missing.items()
    )
