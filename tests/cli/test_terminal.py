"""What a cohort's files say reaches the terminal as text, never as commands.

A name, a detail, an author or an id may hold ESC (cursor moves, window title, OSC 8
links), BEL, CR, C1 controls, or rich markup (« [bold] », « [link=…] »). Every command
that prints them must show them, harmless and literal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import edit, git, make_repo

#: what a terminal would act on: C0 controls but TAB and LF, DEL, C1 controls
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: in YAML's double-quoted escapes: ESC ] 0 ; title BEL (OSC: retitle the window),
#: ESC [ 31 m (red), rich markup, an OSC 8 hyperlink, CR, a C1 control (NEL)
HOSTILE = r"Léa\e]0;pwned\a\e[31m[bold]X[/bold][link=https://evil.example]clic[/link]\e]8;;https://evil.example\e\\ici\r\x85"
MARKUP = "[bold]X[/bold][link=https://evil.example]clic[/link]"


@pytest.fixture
def hostile(cohort_dir: Path) -> Path:
    learner = cohort_dir / "learners" / "lea-martin.yaml"
    edit(learner, 'first_name: "Léa"', f'first_name: "{HOSTILE}"')
    # a detail may not hold control characters (the model refuses them): markup only
    edit(learner, 'detail: "', r'detail: "[red]rouge[/red] ')
    return make_repo(cohort_dir)


COMMANDS = [
    ["learner", "list"],
    ["learner", "list", "--format", "json"],
    ["need", "list"],
    ["need", "list", "--format", "json"],
    ["need", "list", "lea-martin", "--overdue"],
    ["match"],
    ["match", "--format", "json"],
    ["log", "lea-martin"],
    ["metrics", "--identify"],
    ["validate"],
    ["notify", "list"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_control_character_reaches_the_terminal(olap, hostile, args):
    result = olap("-C", hostile, *args)
    assert result.code in (0, 1), result.output
    found = ACTIVE.findall(result.output)
    assert not found, f"{args}: {found!r} in\n{result.output}"


def test_markup_in_names_prints_as_written(olap, hostile):
    out = olap("-C", hostile, "log", "lea-martin").stdout
    assert MARKUP in out
    assert "␛]0;pwned␇" in out  # made visible, not dropped: the reader sees something is off
    with (hostile / "learners" / "lea-martin.yaml").open("a", encoding="utf-8") as f:
        f.write("# relu\n")
    git(hostile, "commit", "-qam", "relu", "--author", "[bold]Eve[/bold]\x1b[8m <e@x.example>")
    assert "[bold]Eve[/bold]␛[8m" in olap("-C", hostile, "log", "lea-martin").stdout


def test_json_keeps_the_values_exactly(olap, hostile):
    """JSON output stays exact once parsed: controls are escaped, not replaced."""
    rows = json.loads(olap("-C", hostile, "learner", "list", "--format", "json").stdout)
    lea = next(r for r in rows if r["id"] == "lea-martin")
    assert lea["first_name"] == (
        "Léa\x1b]0;pwned\x07\x1b[31m" + MARKUP + "\x1b]8;;https://evil.example\x1b\\ici\r\x85"
    )


def test_own_styles_still_apply(olap, cohort_repo):
    """Markup is off for data, not for olap's own emphasis: an overdue need is still
    styled (checked through rich's recording, as a terminal would get it)."""
    from rich.console import Console

    from olapcli.cli import common

    console = common._safe_console()(record=True, width=200, markup=False, force_terminal=True)
    console.print(common.styled(("en retard", "bold red"), " [bold]x[/bold] \x1b[2J"))
    text = console.export_text(styles=True)
    assert "\x1b[1;31men retard" in text
    assert "[bold]x[/bold] ␛[2J" in text
    assert isinstance(console, Console)
