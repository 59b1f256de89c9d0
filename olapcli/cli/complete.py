"""Completion of the cohort's ids for the shell (``olap --install-completion``: bash,
zsh, fish): each function is an ``autocompletion`` of a Typer option or argument. The
cohort is the one ``-C`` names on the line being completed, else the nearest upward."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from click.shell_completion import split_arg_string

Items = list[tuple[str, str]]


def _folder(ctx: click.Context) -> Path | None:
    given = ctx.find_root().params.get("cohort")
    return Path(given) if given else None


def _learner(ctx: click.Context) -> str | None:
    """The learner given on the line. Click parses the arguments after the options: on
    « olap eval add lea-martin --need <Tab> » the dangling option stops it before, so the
    words the shell passed are read again, the values of options skipped."""
    given = ctx.params.get("learner")
    if given:
        return str(given)
    if "COMP_WORDS" in os.environ:  # bash: the words, and the one being completed
        words = split_arg_string(os.environ["COMP_WORDS"])
        words = words[: int(os.environ.get("COMP_CWORD", len(words)))]
    else:  # zsh, fish
        words = split_arg_string(os.environ.get("_TYPER_COMPLETE_ARGS", ""))
    name = ctx.info_name or ""
    words = words[words.index(name) + 1 :] if name in words else []
    valued = {
        o
        for p in ctx.command.params
        if isinstance(p, click.Option) and not p.is_flag and not p.count
        for o in p.opts
    }
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in valued
        else:
            return word
    return None


def _keep(found: Items, incomplete: str) -> Items:
    return [(value, help) for value, help in found if value.startswith(incomplete)]


def learners(ctx: click.Context, incomplete: str) -> Items:
    """Learner ids."""
    from olapcli.app import complete

    return _keep(complete.learners(_folder(ctx)), incomplete)


def activities(ctx: click.Context, incomplete: str) -> Items:
    """Sub-activity ids, with their titles."""
    from olapcli.app import complete

    return _keep(complete.activities(_folder(ctx)), incomplete)


def groups(ctx: click.Context, incomplete: str) -> Items:
    """Group ids of the référentiel, with their titles."""
    from olapcli.app import complete

    return _keep(complete.groups(_folder(ctx)), incomplete)


def practices(ctx: click.Context, incomplete: str) -> Items:
    """Practices of cohort.yaml."""
    from olapcli.app import complete

    return _keep(complete.practices(_folder(ctx)), incomplete)


def trainers(ctx: click.Context, incomplete: str) -> Items:
    """Trainers of cohort.yaml; after a comma, the next one of a list."""
    from olapcli.app import complete

    head, _sep, last = incomplete.rpartition(",")
    prefix = head + "," if head else ""
    return [(prefix + v, h) for v, h in _keep(complete.trainers(_folder(ctx)), last)]


def competences(ctx: click.Context, incomplete: str) -> Items:
    """Competences of the practice given on the line (of every grid otherwise)."""
    from olapcli.app import complete

    practice: Any = ctx.params.get("practice")
    return _keep(complete.competences(_folder(ctx), practice), incomplete)


def needs(ctx: click.Context, incomplete: str) -> Items:
    """The needs of the learner given on the line, the open ones first."""
    from olapcli.app import complete

    return _keep(complete.needs(_folder(ctx), _learner(ctx)), incomplete)


def prospects(ctx: click.Context, incomplete: str) -> Items:
    """The prospects of the learner given on the line."""
    from olapcli.app import complete

    return _keep(complete.prospects(_folder(ctx), _learner(ctx)), incomplete)
