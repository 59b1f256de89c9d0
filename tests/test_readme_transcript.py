"""The README's session (« Une séance, telle qu'elle s'affiche ») is what olap prints.

Each ``$ …`` line of its ``console`` block runs, in order, through ``bash -c`` in a
real terminal (a pseudo-terminal 100 columns wide, as a new user's), with this tree's
olap first on PATH, in a fresh folder: ``olap init cap-cuisine --sample`` makes the
cohort and its Git repository, ``cd`` carries over to the next lines, pipes and
redirections are the shell's. What the terminal shows must be the lines under it.
Nobody types: a question olap would ask there gets the end of input at once, and
shows in the diff (the README's lines must not ask any).

Made deterministic the honest way, as a user could: the day by ``OLAP_TODAY``; the
Git identity by a ``~/.gitconfig`` (Anne Berger, a trainer of the sample) and the
commit times by ``GIT_AUTHOR_DATE`` / ``GIT_COMMITTER_DATE`` with ``TZ``; the SMTP
line is sent to a real local server (tests/mailserver.py), its host rewritten for the
run only. What stays random is normalised in both texts before they are compared:

- a record id olap draws (``b20261121-ee774222f8``: the day, then 40 random bits)
  becomes ``b20261121-<id 1>``, numbered in order of first appearance, so the same id
  must stand where the README shows the same id; the sample's own ids are kept as
  they are;
- the commit of an ``olap log`` heading (``2026-11-21 18:42  Anne Berger  0e519a77``)
  becomes ``<commit 1>`` the same way (it hashes those random ids);
- colours are dropped (the README cannot show them), and spaces at line ends.

One line may be missing from the run: olap's « la sortie a été fermée avant la fin »
after ``| head``, which olap says only if it was still writing when head left (it
nearly always is: ``olap log`` writes commit by commit).
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import ROOT, SAMPLE, TODAY

README = ROOT / "README.md"
SECTION = "## Une séance, telle qu'elle s'affiche"
WIDTH = 100
#: the README's SMTP host, a name of its example; the run sends to the local server
README_SMTP = "OLAP_SMTP_HOST=smtp.cfa.example"
#: what olap says when ``| head`` closed its output while it was still writing
CLOSED = "olap : la sortie a été fermée avant la fin (par « head » ?) ; arrêt."

RECORD_ID = re.compile(r"\b([be]\d{8})-([0-9a-f]{10})\b")
LOG_HEADING = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d  .+  )([0-9a-f]{8})$", re.M)
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def transcript() -> list[tuple[str, list[str]]]:
    """The README's session: each command and the lines it shows under it."""
    text = README.read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1]
    block = re.search(r"```console\n(.*?)```", section, re.S)
    assert block, "the session's ```console block is gone"
    steps: list[tuple[str, list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, "the block must start with a command"
            steps[-1][1].append(line)
    return steps


def sample_ids() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SAMPLE.rglob("*.yaml"))
    return {m.group(0) for m in RECORD_ID.finditer(text)}


def normalise(text: str, known: set[str]) -> str:
    """*text* with olap's random parts named in order of appearance (see the module)."""
    ids: dict[str, str] = {}

    def record(m: re.Match[str]) -> str:
        if m.group(0) in known:
            return m.group(0)
        name = ids.setdefault(m.group(2), f"<id {len(ids) + 1}>")
        return f"{m.group(1)}-{name}"

    commits: dict[str, str] = {}

    def commit(m: re.Match[str]) -> str:
        return m.group(1) + commits.setdefault(m.group(2), f"<commit {len(commits) + 1}>")

    text = RECORD_ID.sub(record, text)
    return LOG_HEADING.sub(commit, text)


def shown(out: str) -> list[str]:
    """What a terminal shows of *out*: lines, without colours or trailing spaces."""
    out = COLOUR.sub("", out.replace("\r\n", "\n"))
    return [line.rstrip() for line in out.splitlines()]


def comment_count(command: str) -> int | None:
    m = re.search(r"# les (\d+) autres avertissements", command)
    return int(m.group(1)) if m else None


@pytest.fixture
def shell(tmp_path: Path):
    """Run one line as a user's shell would, in a terminal; its screen and exit code."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Anne Berger\n\temail = anne.berger@cfa-metiers-bouche.example\n"
        "[init]\n\tdefaultBranch = main\n",
        encoding="utf-8",
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    olap = bin_dir / "olap"  # the olap of this tree, with the venv's Python
    olap.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m olapcli "$@"\n', encoding="utf-8")
    olap.chmod(0o755)
    when = f"{TODAY}T18:42:00+01:00"
    env = {
        "PATH": f"{bin_dir}:{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "TZ": "Europe/Paris",
        "OLAP_TODAY": TODAY,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    work = tmp_path / "session"
    work.mkdir()
    where = tmp_path / "cwd"
    state = {"cwd": work}

    def run(line: str) -> tuple[list[str], int]:
        script = f'{line}\nrc=$?; pwd > "{where}"; exit $rc\n'
        child = pexpect.spawn(
            "bash",
            ["-c", script],
            cwd=str(state["cwd"]),
            env=env,
            dimensions=(40, WIDTH),
            encoding="utf-8",
            timeout=60,
        )
        child.sendeof()  # nobody types: a question olap asks ends at once, and shows
        out = child.read()
        child.close()
        state["cwd"] = Path(where.read_text(encoding="utf-8").strip())
        return shown(out), child.exitstatus

    return run


def test_the_readme_session_is_what_olap_prints(shell, smtp):
    server = smtp()
    local_smtp = " ".join(f"{k}={v}" for k, v in server.env().items())
    known = sample_ids()
    expected: list[str] = []
    actual: list[str] = []
    sent: list[tuple[int, int]] = []  # (what olap said it sent, what the server got)
    cut: list[tuple[int, int]] = []  # (the comment's « les N autres », the true number)
    for command, lines in transcript():
        before = len(server.inbox.messages)
        out, _code = shell(command.replace(README_SMTP, local_smtp))
        if lines and lines[-1] == CLOSED and CLOSED not in out:
            lines = lines[:-1]  # olap had written everything before head left
        expected += [f"$ {command}", *lines]
        actual += [f"$ {command}", *out]
        screen = "\n".join(out)
        if README_SMTP in command:
            said = re.search(r"(\d+) courriel\(s\) envoyé\(s\)", screen)
            sent.append((int(said.group(1)) if said else -1, len(server.inbox.messages) - before))
        if (n := comment_count(command)) is not None:
            total = re.search(r"(\d+) avertissements\.", screen)
            shown_here = sum("avertissement [" in line for line in out)
            cut.append((n, int(total.group(1)) - shown_here if total else -1))
    want = normalise("\n".join(expected), known)
    got = normalise("\n".join(actual), known)
    diff = "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "README", "olap"))
    assert want == got, f"{diff}\n\nWhat olap prints today:\n" + "\n".join(actual)
    assert sent and all(said == got_ > 0 for said, got_ in sent), sent  # really sent
    assert cut and all(n == true for n, true in cut), f"« les N autres » should say: {cut}"


def test_normalising_keeps_sample_ids_and_pairs_new_ones():
    known = {"b20260105-ca5149e4de"}
    text = "b20261121-0123456789 b20260105-ca5149e4de b20261121-0123456789 e20261121-aaaaaaaaaa"
    assert normalise(text, known) == (
        "b20261121-<id 1> b20260105-ca5149e4de b20261121-<id 1> e20261121-<id 2>"
    )
    heading = "2026-11-21 18:42  Anne Berger  0e519a77"
    assert normalise(heading, known) == "2026-11-21 18:42  Anne Berger  <commit 1>"
