"""Notifications: e-mails built on each event, kept in the outbox, sent once to a real
SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from olapcli.app import notify
from olapcli.render.email import clean_header
from tests.conftest import edit, git, need_args
from tests.mailserver import Inbox

LEA = {
    "lea.martin@mail.example",
    "marc.girard@brasserie-halles.example",
    "francois.dupont@cfa-metiers-bouche.example",
    "karim.messaoudi@cfa-metiers-bouche.example",
}


def eml(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def recipients(msg) -> set[str]:
    return {a.addr_spec for h in ("To", "Cc") for a in (msg[h].addresses if msg[h] else ())}


def pending(root: Path) -> list[Path]:
    return sorted((root / "outbox/pending").glob("*.eml"))


def add_need(olap, root, detail="Brunoise pour 40 couverts <b>vite</b>", learner="lea-martin"):
    args = ["3.1" if a == "6.3" else a for a in need_args(detail)]  # 3.1 has shared resources
    result = olap("-C", root, "need", "add", learner, *args)
    assert result.code == 0, result.output
    return result


def test_need_add_writes_one_email_to_the_three_actors(olap, cohort_repo):
    result = add_need(olap, cohort_repo)
    assert "courriel en attente" in result.output.lower() or "outbox" in result.output
    [path] = pending(cohort_repo)
    msg = eml(path)
    assert recipients(msg) == LEA  # learner + tutor in To, both trainers in Cc
    assert "Léa Martin" in msg["Subject"] and "[CAP Cuisine]" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Brunoise pour 40 couverts <b>vite</b>" in text
    assert "&lt;b&gt;vite&lt;/b&gt;" in html and "<b>vite" not in html
    for word in ("3.1", "2026-11-20", "2026-11-25", "Échéance", "l'entreprise"):
        assert word in text
    assert "Les tailles de légumes" in text  # the activity's shared resources
    assert msg["Message-ID"].startswith(f"<{path.stem}.")
    # the outbox is never committed
    assert "outbox" not in git(cohort_repo, "status", "--porcelain")


def test_the_same_event_is_queued_once_and_keeps_its_message_id(olap, cohort_repo):
    add_need(olap, cohort_repo)
    [path] = pending(cohort_repo)
    event = notify.Event("need", "lea-martin", path.stem.split("-", 3)[-1])
    assert event.name == path.stem
    again = notify.queue(cohort_repo, event)
    assert again.already and pending(cohort_repo) == [path]
    msg, _missing = notify.compose(notify.working_tree(cohort_repo), event)
    assert msg["Message-ID"] == eml(path)["Message-ID"]


def test_header_values_lose_cr_lf_and_nul(olap, cohort_repo):
    edit(
        cohort_repo / "referentiel.yaml",
        'title: "Éplucher et tailler les légumes"',
        'title: "Éplucher\\r\\nBcc: pirate@evil.example\\u0000"',
    )
    add_need(olap, cohort_repo)
    raw = pending(cohort_repo)[0].read_bytes()
    head = raw.split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in head and b"\x00" not in head
    assert clean_header("a\r\nBcc: x\x00y") == "a Bcc: x y"


def test_a_learner_without_address_is_reported_not_a_crash(olap, cohort_repo):
    edit(cohort_repo / "learners/lea-martin.yaml", "email: lea.martin@mail.example\n", "")
    result = add_need(olap, cohort_repo)
    assert "alternant" in result.output  # « Pas d'adresse pour : l'alternant »
    assert recipients(eml(pending(cohort_repo)[0])) == LEA - {"lea.martin@mail.example"}


def test_eval_add_and_need_step_notify_too(olap, cohort_repo):
    add_need(olap, cohort_repo)
    need_id = pending(cohort_repo)[0].stem.split("-", 3)[-1]
    r = olap("-C", cohort_repo, "need", "step", "lea-martin", need_id, "--technical",
             "2026-11-22", "--by", "formateur")  # fmt: skip
    assert r.code == 0, r.output
    r = olap("-C", cohort_repo, "need", "step", "lea-martin", need_id, "--applied", "2026-11-24")
    assert r.code == 0, r.output
    # the e-mail of the step says every step of the cycle done, in order, and who did it
    [step] = [p for p in pending(cohort_repo) if p.stem.startswith("step-")]
    mail = eml(step)
    text = mail.get_body(("plain",)).get_content()
    cycle = text.split("Étapes de son cycle :", 1)[1].split("\n\n", 1)[0].strip().splitlines()
    assert cycle == [
        "- 2026-11-22 : cours technique (le formateur)",
        "- 2026-11-24 : appliqué en entreprise",
    ]
    page = mail.get_body(("html",)).get_content()
    assert (
        '<th scope="row" style="text-align: left; padding: 2px 12px 2px 0;">2026-11-22</th><td>cours technique (le formateur)</td>'
        in page
    )
    r = olap(
        "-C",
        cohort_repo,
        "eval",
        "add",
        "lea-martin",
        "--need",
        need_id,
        "--level",
        "A",
        "--by",
        "entreprise",
        "--date",
        "2026-11-25",
    )
    assert r.code == 0, r.output
    names = [p.stem for p in pending(cohort_repo)]
    assert f"step-lea-martin-{need_id}-applied" in names
    evals = [p for p in pending(cohort_repo) if p.stem.startswith("eval-")]
    assert len(evals) == 1
    text = eml(evals[0]).get_body(("plain",)).get_content()
    assert "A (autonome)" in text and "2026-11-25" in text and "Brunoise" in text


def test_send_delivers_once_to_every_recipient(olap, cohort_repo, smtp, monkeypatch):
    server = smtp()
    add_need(olap, cohort_repo)
    add_need(olap, cohort_repo, learner="nathan-rey", detail="Découpe de volaille")
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    dry = olap("-C", cohort_repo, "notify", "send", "--dry-run")
    assert dry.code == 0 and server.inbox.messages == []
    result = olap("-C", cohort_repo, "notify", "send")
    assert result.code == 0, result.output
    assert len(server.inbox.messages) == 2
    delivered = {rcpt for rcpts, _data in server.inbox.messages for rcpt in rcpts}
    assert LEA <= delivered
    first = BytesParser(policy=policy.default).parsebytes(server.inbox.messages[0][1])
    assert "X-Olap-Event" not in first  # olap's own headers stay home
    assert "Léa" in first["To"] or "Nathan" in first["To"]
    assert (
        pending(cohort_repo) == [] and len(list((cohort_repo / "outbox/sent").glob("*.eml"))) == 2
    )
    again = olap("-C", cohort_repo, "notify", "send")
    assert again.code == 0 and len(server.inbox.messages) == 2


def test_auth_success_and_refusal(olap, cohort_repo, smtp, monkeypatch, refused):
    server = smtp(password="s3cret")
    add_need(olap, cohort_repo)
    for key, value in server.env(OLAP_SMTP_USER="cfa", OLAP_SMTP_PASSWORD="faux").items():
        monkeypatch.setenv(key, value)
    out = refused(cohort_repo, "-C", cohort_repo, "notify", "send").output
    assert "mot de passe" in out
    assert server.inbox.messages == [] and len(pending(cohort_repo)) == 1
    monkeypatch.setenv("OLAP_SMTP_PASSWORD", "s3cret")
    assert olap("-C", cohort_repo, "notify", "send").code == 0
    assert len(server.inbox.messages) == 1 and pending(cohort_repo) == []


def test_a_dropped_connection_leaves_the_rest_pending(olap, cohort_repo, smtp, monkeypatch):
    server = smtp(Inbox(drop_at=2))
    for learner in ("lea-martin", "nathan-rey", "ines-haddad"):
        add_need(olap, cohort_repo, learner=learner)
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    result = olap("-C", cohort_repo, "notify", "send")
    assert result.code == 1
    assert "en attente" in result.output
    assert len(server.inbox.messages) == 1
    assert len(pending(cohort_repo)) == 2  # nothing marked sent that was not accepted
    sent = [p.name for p in (cohort_repo / "outbox/sent").glob("*.eml")]
    accepted = BytesParser(policy=policy.default).parsebytes(server.inbox.messages[0][1])
    assert sent == [f"{accepted['Message-ID'].strip()[1:].split('.', 1)[0]}.eml"]


def test_a_refused_recipient_stays_pending_for_them_only(olap, cohort_repo, smtp, monkeypatch):
    server = smtp(Inbox(refuse={"marc.girard@brasserie-halles.example"}))
    add_need(olap, cohort_repo)
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    result = olap("-C", cohort_repo, "notify", "send")
    assert result.code == 1 and "marc.girard" in result.output
    [(rcpts, _data)] = server.inbox.messages
    assert set(rcpts) == LEA - {"marc.girard@brasserie-halles.example"}
    [left] = pending(cohort_repo)
    assert eml(left)["X-Olap-Envelope-To"] == "marc.girard@brasserie-halles.example"


def test_send_without_smtp_is_refused_and_changes_nothing(olap, cohort_repo, refused):
    add_need(olap, cohort_repo)
    out = refused(cohort_repo, "-C", cohort_repo, "notify", "send").output
    assert "OLAP_SMTP_HOST" in out


def test_since_builds_what_the_commits_added_once(olap, cohort_repo):
    base = git(cohort_repo, "rev-parse", "HEAD").strip()
    add_need(olap, cohort_repo)
    add_need(olap, cohort_repo, learner="nathan-rey", detail="Découpe de volaille")
    for path in pending(cohort_repo):
        path.unlink()  # as on a CI runner: an empty outbox
    git(cohort_repo, "commit", "-qam", "deux besoins")
    result = olap("-C", cohort_repo, "notify", "--since", base)
    assert result.code == 0, result.output
    assert sorted(p.stem.split("-")[1] for p in pending(cohort_repo)) == ["lea", "nathan"]
    again = olap("-C", cohort_repo, "notify", "--since", base)
    assert again.code == 0 and len(pending(cohort_repo)) == 2


def test_since_an_unknown_revision_is_refused(cohort_repo, refused):
    out = refused(cohort_repo, "-C", cohort_repo, "notify", "--since", "pas-une-revision").output
    assert "pas-une-revision" in out


@pytest.fixture
def certificate(tmp_path):
    """A certificate authority of the test's own, and a server certificate for 127.0.0.1."""
    import ssl

    import trustme

    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return server_context, ca_file


def test_starttls_with_the_centres_own_authority(olap, cohort_repo, smtp, certificate, monkeypatch):
    context, ca_file = certificate
    server = smtp(password="s3cret", tls_context=context, require_starttls=True)
    add_need(olap, cohort_repo)
    env = server.env(
        OLAP_SMTP_SECURITY="starttls",
        OLAP_SMTP_USER="cfa",
        OLAP_SMTP_PASSWORD="s3cret",
        OLAP_SMTP_CAFILE=str(ca_file),
    )
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = olap("-C", cohort_repo, "notify", "send")
    assert result.code == 0, result.output
    assert len(server.inbox.messages) == 1


def test_implicit_tls_and_an_untrusted_certificate(
    olap, cohort_repo, smtp, certificate, monkeypatch, refused
):
    context, ca_file = certificate
    server = smtp(ssl_context=context)
    add_need(olap, cohort_repo)
    for key, value in server.env(OLAP_SMTP_SECURITY="tls").items():
        monkeypatch.setenv(key, value)
    out = refused(cohort_repo, "-C", cohort_repo, "notify", "send").output
    out = " ".join(out.split())
    assert "injoignable : son certificat n'est pas reconnu" in out  # not trusted: nothing sent
    assert "OLAP_SMTP_CAFILE" in out and "CERTIFICATE_VERIFY" not in out
    assert server.inbox.messages == [] and len(pending(cohort_repo)) == 1
    monkeypatch.setenv("OLAP_SMTP_CAFILE", str(ca_file))
    assert olap("-C", cohort_repo, "notify", "send").code == 0
    assert len(server.inbox.messages) == 1


def test_an_activity_with_a_file_resource(olap, cohort_repo):
    """6.3's shared resources include a file (no url): named, not linked."""
    args = need_args()  # activity 6.3
    result = olap("-C", cohort_repo, "need", "add", "lea-martin", *args)
    assert result.code == 0 and "pas pu" not in result.output, result.output
    [path] = pending(cohort_repo)
    text = eml(path).get_body(("plain",)).get_content()
    assert "Tarte au citron meringuée (10 parts) (tarte-citron-meringuee.md)" in text


def test_need_add_writes_the_email_in_a_detached_child(cohort_dir, tmp_path):
    """The real command, in its own process: it returns before the e-mail is written,
    which appears a moment later; notify list would also write it at once."""
    import os
    import subprocess
    import sys
    import time

    env = {k: v for k, v in os.environ.items() if k != "OLAP_NOTIFY_INLINE"}
    args = ["3.1" if a == "6.3" else a for a in need_args()]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "olapcli",
            "-C",
            str(cohort_dir),
            "need",
            "add",
            "lea-martin",
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 10
    markers = (cohort_dir / "outbox/pending").glob
    while (not pending(cohort_dir) or list(markers("*.event"))) and time.monotonic() < deadline:
        time.sleep(0.05)  # the e-mail is written, then its event's marker dropped
    [path] = pending(cohort_dir)
    assert recipients(eml(path)) == LEA
    assert not list((cohort_dir / "outbox/pending").glob("*.event"))


def test_an_event_left_by_a_stopped_child_is_written_by_notify_list(olap, cohort_repo, monkeypatch):
    from olapcli.app import notify as core

    add_need(olap, cohort_repo)
    [path] = pending(cohort_repo)
    event = core.Event("need", "lea-martin", path.stem.split("-", 3)[-1])
    path.unlink()  # as if the child had been stopped before writing it
    record = {"kind": "need", "learner": "lea-martin", "item": event.item, "step": None}
    (path.parent / f"{event.name}.event").write_text(json.dumps(record))
    result = olap("-C", cohort_repo, "notify", "list")
    assert result.code == 0 and "Léa Martin" in result.output
    assert pending(cohort_repo) == [path]


def test_notify_list_shows_local_dates(olap, cohort_repo):
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Paris"
    time.tzset()
    try:
        before = dt.datetime.now(paris).replace(second=0, microsecond=0, tzinfo=None)
        add_need(olap, cohort_repo)
        listed = olap("-C", cohort_repo, "notify", "list").stdout
        after = dt.datetime.now(paris).replace(tzinfo=None)
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()
    shown = re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d", listed)
    assert len(shown) == 1 and "+0000" not in listed
    assert before <= dt.datetime.strptime(shown[0], "%Y-%m-%d %H:%M") <= after
