"""E-mail goes only where it should: whatever the names in the cohort's files (a display
name « Léa Cc: evil@example.org », CR LF, quotes, commas, accents), the envelope (RCPT
TO) and the To and Cc headers a real SMTP server (aiosmtpd) receives hold exactly the
intended addresses, with a server offering SMTPUTF8 and without. An e-mail that cannot
be written is said so and kept for olap notify send."""

from __future__ import annotations

import json
import shutil
from email import policy
from email.parser import Parser
from pathlib import Path

import pytest

from olapcli.app import notify
from olapcli.core.mailbox import address, header_text, recipient
from tests.conftest import edit, need_args
from tests.mailserver import Inbox

LEA = "lea.martin@mail.example"
MARC = "marc.girard@brasserie-halles.example"
FRANCOIS = "francois.dupont@cfa-metiers-bouche.example"
KARIM = "karim.messaoudi@cfa-metiers-bouche.example"
EVIL = "evil@example.org"

#: (learner, tutor, first trainer, second trainer) first names
NAMES = {
    "plain": ("Léa", "Marc", "François", "Karim"),
    "header-in-name": ("Léa Cc: evil@example.org", "Marc Bcc: evil@example.org", "F", "K"),
    "crlf": ("Léa\r\nCc: evil@example.org", "Marc\nBcc: evil@example.org", "Fr\rançois", "K"),
    "line-separators": ("Léa\u2028Cc: evil@example.org", "Marc\x85X", "F\x0bo", "K\x00\x1b"),
    "quotes-commas": ('Léa "la chef", <evil@example.org>', 'Marc\\"', "Dupont, François", '"K'),
    "long-accented": (
        "Léa-Éloïse Françoise-Hélène",
        "Marc-Étienne",
        "François-Xavier Frédéric-Noël Émile",
        "Karim-Zoé Ærøskøbing-Çağlar",
    ),
}


#: the headers an e-mail of olap goes out with
HEADERS = ("Subject", "From", "To", "Cc", "Date", "Message-ID", "MIME-Version", "Content-Type")


class Recorder(Inbox):
    """The inbox, with the MAIL FROM options of each message (SMTPUTF8…)."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[list[str]] = []
        self.senders: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.options.append(list(envelope.mail_options))
        self.senders.append(envelope.mail_from)
        return await super().handle_DATA(server, session, envelope)


def yaml_string(text: str) -> str:
    """*text* as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=True)


def name_everyone(root: Path, names: tuple[str, str, str, str]) -> None:
    learner, tutor, first, second = (yaml_string(n) for n in names)
    lea = root / "learners/lea-martin.yaml"
    edit(lea, 'first_name: "Léa"', f"first_name: {learner}")
    edit(lea, 'first_name: "Marc"', f"first_name: {tutor}")
    cohort = root / "cohort.yaml"
    edit(cohort, 'first_name: "François"', f"first_name: {first}")
    edit(cohort, 'first_name: "Karim"', f"first_name: {second}")


def add_need(olap, root: Path) -> str:
    args = ["3.1" if a == "6.3" else a for a in need_args()]
    result = olap("-C", root, "need", "add", "lea-martin", *args)
    assert result.code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def parsed(data: bytes):
    """The message as a receiver reads it (headers in UTF-8 after SMTPUTF8)."""
    return Parser(policy=policy.default).parsestr(data.decode("utf-8"))


def addresses(msg, header: str) -> list[str]:
    values = msg.get_all(header, [])
    return [a.addr_spec for v in values for a in v.addresses]


def send(olap, root: Path, server, monkeypatch) -> None:
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    result = olap("-C", root, "notify", "send")
    assert result.code == 0, result.output


@pytest.mark.parametrize("utf8", [True, False], ids=["smtputf8", "ascii"])
@pytest.mark.parametrize("case", list(NAMES))
def test_names_never_change_the_recipients(olap, cohort_repo, smtp, monkeypatch, case, utf8):
    names = NAMES[case]
    name_everyone(cohort_repo, names)
    add_need(olap, cohort_repo)
    listed = olap("-C", cohort_repo, "notify", "list")
    assert listed.code == 0 and "Traceback" not in listed.output, listed.output
    [waiting] = notify.listing(cohort_repo)[1]
    assert waiting.recipients == [LEA, MARC, FRANCOIS, KARIM]

    server = smtp(Recorder(), enable_SMTPUTF8=utf8)
    send(olap, cohort_repo, server, monkeypatch)
    [(rcpts, data)] = server.inbox.messages
    assert rcpts == [LEA, MARC, FRANCOIS, KARIM]  # RCPT TO: exactly them, once each
    assert server.inbox.senders == ["olap@cfa-metiers-bouche.example"]
    msg = parsed(data)
    assert addresses(msg, "To") == [LEA, MARC]
    assert addresses(msg, "Cc") == [FRANCOIS, KARIM]  # both trainers, never re-folded away
    assert sorted(msg.keys()) == sorted(HEADERS)  # no Bcc, no header of a name, no X-Olap
    shown = [a.display_name for h in ("To", "Cc") for a in msg[h].addresses]
    assert shown == [
        header_text(f"{names[0]} Martin"),
        header_text(f"{names[1]} Girard"),
        header_text(f"{names[2]} Dupont"),
        header_text(f"{names[3]} Messaoudi"),
    ]
    head = data.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78 + 30  # folded, not one line
    if utf8:
        assert "SMTPUTF8" in server.inbox.options[0]
        assert "Léa".encode() in head  # names in UTF-8
    else:
        assert "SMTPUTF8" not in server.inbox.options[0]
        assert head.isascii() and b"=?utf-8?" in head  # encoded words


def test_the_envelope_is_never_read_back_from_the_headers(olap, cohort_repo, smtp, monkeypatch):
    """Someone edits the e-mail waiting in the outbox: its To and Cc say more, the
    envelope olap wrote from the validated addresses does not."""
    add_need(olap, cohort_repo)
    [path] = (cohort_repo / "outbox/pending").glob("*.eml")
    raw = path.read_bytes()
    assert b"\nCc: " in raw
    path.write_bytes(raw.replace(b"\nCc: ", f"\nCc: Pirate <{EVIL}>, ".encode(), 1))
    [waiting] = notify.listing(cohort_repo)[1]
    assert waiting.recipients == [LEA, MARC, FRANCOIS, KARIM]
    server = smtp(Recorder())
    send(olap, cohort_repo, server, monkeypatch)
    [(rcpts, _data)] = server.inbox.messages
    assert rcpts == [LEA, MARC, FRANCOIS, KARIM]


@pytest.mark.parametrize(
    "value",
    [
        "lea.martin@mail.example",
        "  lea+cfa@mail.example ",
        "o'neil@x.example",
        "root@localhost",  # a sender, not a recipient
    ],
)
def test_addresses_olap_sends_to(value):
    assert address(value) == value.strip()
    assert (recipient(value) is None) == ("." not in value.split("@")[1])


@pytest.mark.parametrize(
    "value",
    [
        None,
        42,
        "",
        "lea",
        "lea@",
        "@mail.example",
        "a@b@mail.example",
        "léa@mail.example",  # SMTPUTF8 only: not olap's
        "lea@mäil.example",
        "lea martin@mail.example",
        '"lea"@mail.example',
        "lea,evil@example.org",
        "lea@mail.example, evil@example.org",
        "Léa <lea@mail.example>",
        "<lea@mail.example>",
        "lea@mail.example\r\nBcc: evil@example.org",
        "lea@mail.example\n",
        "lea\x00@mail.example",
        "lea@mail.example\u2028",
        "lea(comment)@mail.example",
        "lea..martin@mail.example",
        ".lea@mail.example",
        "lea@-mail.example",
        "lea@mail..example",
        "x" * 65 + "@mail.example",
    ],
)
def test_addresses_olap_refuses(value):
    assert address(value) is None and recipient(value) is None


def test_header_text_is_one_line():
    assert header_text("a\r\nBcc: x\x00y\u2028z\x85w\x0b\x1bv  u") == "a Bcc: x y z w v u"


def test_an_unusable_address_is_named_not_addressed():
    """The cohort's checks refuse such addresses before; olap's e-mails do too."""
    cohort = b"trainers: [{id: k, first_name: K, email: 'k@cfa.example, evil@example.org'}]"
    files = notify.Files(lambda rel: cohort if rel == "cohort.yaml" else None)
    learner = {
        "first_name": "Léa",
        "email": "lea@mail.example\r\nBcc: evil@example.org",
        "tutor": {"first_name": "Marc", "email": " marc@entreprise.example "},
        "trainers": ["k"],
    }
    to, cc, missing = notify.addressees(files, learner)
    assert to == [("Marc", "marc@entreprise.example")] and cc == []
    assert missing == ["l'alternant", "k"]


# -- an e-mail that cannot be written is said so, and kept -----------------------------


def pending(root: Path, ext: str) -> list[Path]:
    return sorted((root / "outbox/pending").glob(f"*.{ext}"))


@pytest.fixture
def broken_template(tmp_path, monkeypatch):
    """olap's templates, copied, with notify.txt.j2 reading a key nobody gives; the
    rendering environment is made again from that folder. Undo to repair."""
    import olapcli.render as render

    folder = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES, folder)
    page = folder / "notify.txt.j2"
    page.write_text(page.read_text(encoding="utf-8") + "{{ no_such_key }}\n", encoding="utf-8")
    monkeypatch.setattr(render, "TEMPLATES", folder)
    monkeypatch.setattr(render, "_ENV", None)
    return monkeypatch


def test_a_template_that_fails_is_said_and_the_event_kept(
    olap, cohort_repo, smtp, monkeypatch, broken_template
):
    output = add_need(olap, cohort_repo)
    assert "Attention" in output and "no_such_key" in output, output
    assert "olap notify send" in output and "4 destinataire" not in output
    assert pending(cohort_repo, "eml") == [] and len(pending(cohort_repo, "event")) == 1
    listed = olap("-C", cohort_repo, "notify", "list")  # still broken: said again
    assert listed.code == 0 and "no_such_key" in listed.stderr
    assert len(pending(cohort_repo, "event")) == 1
    broken_template.undo()  # the installation repaired
    import olapcli.render as render

    render._ENV = None
    server = smtp(Recorder())
    send(olap, cohort_repo, server, monkeypatch)
    [(rcpts, _data)] = server.inbox.messages
    assert rcpts == [LEA, MARC, FRANCOIS, KARIM]
    assert pending(cohort_repo, "event") == [] and pending(cohort_repo, "eml") == []


def test_a_sender_that_is_no_address_is_said_and_the_event_kept(
    olap, cohort_repo, smtp, monkeypatch
):
    """No sender in cohort.yaml: OLAP_SMTP_FROM, from the environment, unchecked until
    the e-mail is written."""
    cohort = cohort_repo / "cohort.yaml"
    edit(cohort, 'sender: "olap@cfa-metiers-bouche.example"', "by: workstation")
    monkeypatch.setenv("OLAP_SMTP_FROM", "olap@cfa.example\r\nBcc: evil@example.org")
    output = add_need(olap, cohort_repo)
    assert "Attention" in output and "expéditeur" in output, output
    assert pending(cohort_repo, "eml") == [] and len(pending(cohort_repo, "event")) == 1
    monkeypatch.setenv("OLAP_SMTP_FROM", "olap@cfa.example")
    server = smtp(Recorder())
    send(olap, cohort_repo, server, monkeypatch)
    assert [r for r, _d in server.inbox.messages] == [[LEA, MARC, FRANCOIS, KARIM]]
    assert server.inbox.senders == ["olap@cfa.example"]


# -- the same, when the e-mail is written by the detached process (no OLAP_NOTIFY_INLINE) --


def real_need_add(root: Path, detail: str, pythonpath: Path | None = None) -> str:
    """``olap need add`` in its own process, the e-mail left to a detached child."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OLAP_NOTIFY_INLINE"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    args = ["3.1" if a == "6.3" else a for a in need_args(detail)]
    done = subprocess.run(
        [sys.executable, "-m", "olapcli", "-C", str(root), "need", "add", "lea-martin", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout + done.stderr


def wait_for(found, seconds: float = 10) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not found() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert found()


def test_an_installation_without_the_templates_is_said_at_once(olap, cohort_dir, tmp_path):
    """A packaging fault: olap installed without notify.txt.j2. need add says so itself
    (the detached process would fail unseen) and the event waits for a sound olap."""
    import olapcli

    installed = tmp_path / "site"
    shutil.copytree(
        Path(olapcli.__file__).parent,
        installed / "olapcli",
        ignore=shutil.ignore_patterns("__pycache__", "notify.txt.j2"),
    )
    output = real_need_add(cohort_dir, "Brunoise", pythonpath=installed)
    assert "Attention" in output and "notify.txt.j2" in output, output
    assert "destinataire" not in output
    assert pending(cohort_dir, "eml") == [] and len(pending(cohort_dir, "event")) == 1
    listed = olap("-C", cohort_dir, "notify", "list")  # this olap has its templates
    assert listed.code == 0 and "Attention" not in listed.output
    assert len(pending(cohort_dir, "eml")) == 1 and pending(cohort_dir, "event") == []


def test_what_the_detached_process_could_not_write_is_said_next_time(olap, cohort_dir, monkeypatch):
    cohort = cohort_dir / "cohort.yaml"
    edit(cohort, 'sender: "olap@cfa-metiers-bouche.example"', "by: workstation")
    monkeypatch.setenv("OLAP_SMTP_FROM", "pas une adresse")
    first = real_need_add(cohort_dir, "Brunoise")
    assert "Attention" not in first  # the detached process has not tried yet
    wait_for(lambda: pending(cohort_dir, "failed"))
    [event] = pending(cohort_dir, "event")
    second = real_need_add(cohort_dir, "Julienne")
    assert f"le courriel de {event.stem} n'a pas pu être écrit" in second, second
    assert "expéditeur « pas une adresse »" in second
    wait_for(lambda: len(pending(cohort_dir, "failed")) == 2)
    monkeypatch.setenv("OLAP_SMTP_FROM", "olap@cfa.example")
    listed = olap("-C", cohort_dir, "notify", "list")
    assert listed.code == 0 and "Attention" not in listed.output
    assert len(pending(cohort_dir, "eml")) == 2
    assert pending(cohort_dir, "event") == [] and pending(cohort_dir, "failed") == []
