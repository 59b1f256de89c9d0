"""``olap need add | list | step``: the imminent needs of the companies."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import typer

from olapcli.cli.common import (
    ask,
    confirm,
    interactive,
    notify_after,
    out,
    parse_date_option,
    refuse,
    root,
    split_list,
)
from olapcli.i18n import _

app = typer.Typer(
    help=_(
        "Imminent needs of the companies: record, list, follow the cycle.\n\n"
        "Example: olap need list --overdue"
    ),
    no_args_is_help=True,
)


class Format(str, Enum):
    table = "table"
    json = "json"


def _activity_prompt(core: Any) -> str:
    """Pick a sub-activity, showing each group's QCM stem (the « pop-up »)."""
    activities: set[str] = set()
    for group in core.groups:
        typer.echo(f"{group.id}. {group.title} — {group.question}")
        for act in group.activities:
            choices = f" ({' / '.join(act.choices)})" if act.choices else ""
            typer.echo(f"   {act.id}  {act.title}{choices}")
            activities.add(act.id)

    def check(answer: str) -> str:
        if answer not in activities:
            raise ValueError(answer)
        return answer

    return str(ask(_("Activity (id)"), check))


def _actors(value: str) -> list[str]:
    from olapcli.core.rules import ACTORS

    actors = split_list(value)
    aliases = {
        "e": "entreprise",
        "f": "formateur",
        "a": "alternant",
        "company": "entreprise",
        "trainer": "formateur",
        "learner": "alternant",
    }
    actors = [aliases.get(a.lower(), a.lower()) for a in actors]
    if not actors or any(a not in ACTORS for a in actors):
        raise ValueError(value)
    return list(dict.fromkeys(actors))


def _date(value: str) -> dt.date:
    from olapcli.core.dates import parse_date
    from olapcli.io.clock import today

    return parse_date(value, today())


def print_need(need: Any, learner: str) -> None:
    """The recorded need, every datum of it (plain text: no rich on this path)."""
    import shutil
    import textwrap

    rows = [
        (_("Learner"), learner),
        (_("Need"), need.id),
        (_("Activity"), need.activity),
        (_("Practice"), need.practice),
        (_("Marked by"), ", ".join(need.marked_by)),
        (_("Identified"), need.identified.isoformat()),
        (_("Due"), need.due.isoformat()),
        (_("Detail"), need.detail),
    ]
    if need.company:
        rows.append((_("Company"), need.company))
    for res in need.resources:
        rows.append((_("Resource"), res))
    step_labels = {
        "prepared": _("Prepared on"),
        "applied": _("Applied on"),
        "valorised": _("Valorised on"),
        "advantage": _("Advantage"),
    }
    for key, label in step_labels.items():
        value = (need.steps or {}).get(key)
        if value is not None:
            rows.append((label, str(value)))
    width = max(len(label) for label, _v in rows)
    text_width = max(30, shutil.get_terminal_size((100, 20)).columns - width - 3)
    for label, value in rows:
        lines = textwrap.wrap(str(value), text_width) or [""]
        typer.echo(f" {label.ljust(width)}  {lines[0]}")
        for more in lines[1:]:
            typer.echo(f" {' ' * width}  {more}")


NEED_ADD_HELP = _(
    "Record an imminent need of the learner's company. Every field is required: "
    "on a terminal the missing ones are asked in turn; otherwise the command stops "
    "and lists them.\n\n"
    "Example: olap need add lea-martin --activity 3.2 --by entreprise,alternant "
    '--identified aujourd\'hui --due +3j --detail "Tarte au citron : dosage et cuisson"'
)


@app.command("add", help=NEED_ADD_HELP)
def add(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id (file name in learners/).")),
    activity: str | None = typer.Option(
        None, "--activity", "-a", help=_("Sub-activity id, e.g. 3.2.")
    ),
    by: str | None = typer.Option(
        None,
        "--by",
        "-b",
        help=_("Who marks the need: entreprise, formateur, alternant (comma-separated)."),
    ),
    identified: str | None = typer.Option(
        None, "--identified", "-i", help=_("Date identified (YYYY-MM-DD, aujourd'hui, hier…).")
    ),
    due: str | None = typer.Option(
        None,
        "--due",
        "-d",
        help=_("Date the learner must meet the need (YYYY-MM-DD, demain, vendredi, +3j…)."),
    ),
    detail: str | None = typer.Option(
        None,
        "--detail",
        "-t",
        help=_("The need in the company's words: context, equipment, point of vigilance."),
    ),
    practice: str | None = typer.Option(
        None, "--practice", "-p", help=_("Practice (Annexe 7 column); default qualite.")
    ),
    resource: list[str] = typer.Option(
        [], "--resource", "-r", help=_("Proposed resource (http(s) link); repeatable.")
    ),
    company: str | None = typer.Option(
        None, "--company", help=_("Prospect company (contract search).")
    ),
    yes: bool = typer.Option(
        False, "--yes", "-y", help=_("Do not ask for confirmation when the need is not imminent.")
    ),
    commit: bool = typer.Option(
        False, "--commit", help=_("Commit the changed file with a message saying what happened.")
    ),
) -> None:
    from olapcli.io.load import core_summary
    from olapcli.io.paths import learner_path
    from olapcli.needs import NeedInput, add_need

    folder = root(ctx)
    learner_path(folder, learner)  # an unknown learner is refused before any question
    core = core_summary(folder)
    activities = core.activity_ids()
    practices = core.practices
    asking = interactive()

    missing = [
        name
        for name, value in (
            ("--activity", activity),
            ("--by", by),
            ("--identified", identified),
            ("--due", due),
            ("--detail", detail),
        )
        if value is None or not str(value).strip()
    ]
    if missing and not asking:
        refuse(
            _("The need cannot be recorded: missing {fields}.").format(fields=", ".join(missing)),
            _("give every field (activity, who marks it, dates identified and due, detail)"),
        )
    if activity is None:
        activity = _activity_prompt(core)
    if activity not in activities:
        import difflib

        close = difflib.get_close_matches(activity, sorted(activities), n=3)
        refuse(
            _("Unknown activity « {id} ».").format(id=activity),
            _("did you mean: {ids}?").format(ids=", ".join(close))
            if close
            else _("referentiel.yaml lists the activities of the cohort"),
        )
    if by is None:
        actors = ask(_("Marked by (entreprise, formateur, alternant)"), _actors)
    else:
        try:
            actors = _actors(by)
        except ValueError:
            refuse(
                _("Unknown actor in « {value} ».").format(value=by),
                _("actors: entreprise, formateur, alternant"),
            )
    ident = (
        parse_date_option(identified, "--identified")
        if identified
        else ask(_("Identified on (aujourd'hui, YYYY-MM-DD…)"), _date)
    )
    due_date = (
        parse_date_option(due, "--due")
        if due
        else ask(_("Due on (demain, vendredi, +3j, YYYY-MM-DD…)"), _date)
    )
    if detail is None or not detail.strip():
        detail = ask(_("Detail (context, equipment, the company's point of vigilance)"))
    practice = practice or "qualite"
    if practice not in practices:
        refuse(
            _("Unknown practice « {id} ».").format(id=practice),
            _("practices of this cohort: {ids}").format(ids=", ".join(practices)),
        )
    for url in resource:
        if not url.startswith(("http://", "https://")):
            refuse(
                _("« {url} » is not a web link.").format(url=url),
                _("only http:// and https:// links are accepted"),
            )
    assert isinstance(ident, dt.date) and isinstance(due_date, dt.date)
    if due_date < ident:
        refuse(
            _("The due date {due} is before the date identified {ident}.").format(
                due=due_date, ident=ident
            ),
            _("a need is identified before it must be met: check both dates"),
        )
    limit = core.imminence_days
    gap = (due_date - ident).days
    if gap > limit:
        typer.echo(
            _(
                "Warning: due {n} days after it was identified; an imminent need is met "
                "within {max} days."
            ).format(n=gap, max=limit),
            err=True,
        )
        if asking and not yes:
            if not confirm(_("Record it anyway?"), default=False):
                refuse(_("Nothing recorded."))
    inp = NeedInput(
        activity=activity,
        marked_by=actors,
        identified=ident,
        due=due_date,
        detail=detail.strip(),
        practice=practice,
        company=company,
        resources=list(resource),
    )
    need = add_need(folder, learner, inp, commit)
    typer.echo(_("Imminent need recorded."))
    print_need(need, learner)
    from olapcli.notify import Event

    notify_after(folder, [Event("need", learner, need.id)])


@app.command(
    "list", help=_("List needs: open, overdue, due soon.\n\nExample: olap need list --due-within 7")
)
def list_(
    ctx: typer.Context,
    learner: str | None = typer.Argument(None, help=_("Only this learner.")),
    open_: bool = typer.Option(False, "--open", help=_("Only needs not yet evaluated.")),
    overdue: bool = typer.Option(
        False, "--overdue", help=_("Only open needs past their due date.")
    ),
    due_within: int | None = typer.Option(
        None, "--due-within", min=0, help=_("Only open needs due within N days.")
    ),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help=_("Output format.")),
) -> None:
    import json

    from olapcli.io.clock import today

    now = today()
    rows = []
    from olapcli.io.load import valid_learners

    for _rel, lrn in valid_learners(root(ctx), learner):
        answered = {e.need for e in lrn.evaluations if e.need}
        for need in lrn.needs:
            is_open = need.id not in answered
            if (open_ or overdue or due_within is not None) and not is_open:
                continue
            if overdue and not need.due < now:
                continue
            if due_within is not None and not now <= need.due <= now + dt.timedelta(
                days=due_within
            ):
                continue
            rows.append((lrn, need, is_open))
    rows.sort(key=lambda r: (r[1].due, r[0].id))
    if fmt is Format.json:
        data = [
            {
                "learner": lrn.id,
                "open": is_open,
                "overdue": is_open and need.due < now,
                **need.model_dump(mode="json", by_alias=True, exclude_none=True),
            }
            for lrn, need, is_open in rows
        ]
        out.print(json.dumps(data, ensure_ascii=False, indent=2), markup=False)
        return
    from rich.table import Table

    table = Table(title=_("Imminent needs"), show_lines=False)
    for col in (_("Learner"), _("Need"), _("Activity"), _("Identified"), _("Due"), _("State")):
        table.add_column(col, no_wrap=True)
    table.add_column(_("Detail"), overflow="fold", ratio=1)
    for lrn, need, is_open in rows:
        if not is_open:
            state = _("evaluated")
        elif need.due < now:
            state = "[bold red]" + _("overdue") + "[/]"
        elif need.due <= now + dt.timedelta(days=7):
            state = "[yellow]" + _("due soon") + "[/]"
        else:
            state = _("open")
        table.add_row(
            lrn.id,
            need.id,
            need.activity,
            need.identified.isoformat(),
            need.due.isoformat(),
            state,
            need.detail,
        )
    out.print(table)
    out.print(_("{n} need(s).").format(n=len(rows)), markup=False)


@app.command(
    "step",
    help=_(
        "Record a step of the cycle: prepared, applied, valorised, advantage.\n\nExample: olap need step lea-martin b20261121-3f9a --applied demain"
    ),
)
def step(
    ctx: typer.Context,
    learner: str = typer.Argument(..., help=_("Learner id.")),
    need: str = typer.Argument(..., help=_("Need id (or its unique beginning).")),
    prepared: str | None = typer.Option(
        None, "--prepared", help=_("Date the response was prepared at the centre.")
    ),
    applied: str | None = typer.Option(
        None, "--applied", help=_("Date it was applied in the company.")
    ),
    valorised: str | None = typer.Option(
        None, "--valorised", help=_("Date it was valorised with the company.")
    ),
    advantage: str | None = typer.Option(
        None, "--advantage", help=_("Advantage negotiated after valorisation.")
    ),
    commit: bool = typer.Option(False, "--commit", help=_("Commit the changed file.")),
) -> None:
    from olapcli.records import step_need

    steps: dict[str, Any] = {}
    for name, value in (("prepared", prepared), ("applied", applied), ("valorised", valorised)):
        if value is not None:
            steps[name] = parse_date_option(value, f"--{name}")
    if advantage:
        steps["advantage"] = advantage.strip()
    if not steps:
        refuse(_("Nothing to record."), _("give --prepared, --applied, --valorised or --advantage"))
    result = step_need(root(ctx), learner, need, steps, commit)
    typer.echo(_("Step recorded."))
    print_need(result, learner)
    from olapcli.notify import ANNOUNCED_STEPS, Event

    notify_after(
        root(ctx), [Event("step", learner, result.id, s) for s in ANNOUNCED_STEPS if s in steps]
    )
