"""Notification e-mails carry each person's personal link (SPEC §9), and a link is a key:
it goes only in a copy addressed to its owner alone, received by a real SMTP server
(aiosmtpd); it opens (check_token); a revoked grant, no grant, no key, no public address
or an outbox Git would commit give the e-mail as before; the token never reaches Git."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from olapcli.app import access, notify
from tests.conftest import TODAY, edit, git, need_args

LEA = "lea.martin@mail.example"
MARC = "marc.girard@brasserie-halles.example"
FRANCOIS = "francois.dupont@cfa-metiers-bouche.example"
KARIM = "karim.messaoudi@cfa-metiers-bouche.example"
URL = "https://olap.cfa.example"
LINK = re.compile(re.escape(URL) + r"/a/[A-Za-z0-9_.\-]+")


@pytest.fixture(autouse=True)
def links_setting(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test: its own signing-key folder, and a public address for the links."""
    folder = tmp_path_factory.mktemp("secrets")
    monkeypatch.setenv("OLAP_SECRET_DIR", str(folder))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("OLAP_PUBLIC_URL", URL)
    return folder


def grant(olap, root: Path, role: str, *more: str) -> tuple[str, str]:
    """(grant id, link) of a personal link given and committed."""
    done = olap("-C", root, "access", "grant", "lea-martin", "--role", role, *more, "--commit")
    assert done.code == 0, done.output
    link = done.stdout.strip().splitlines()[-1]
    return access.check_token(root, link.rsplit("/a/", 1)[1]).id, link


def add_need(olap, root: Path, detail: str = "Crème citron") -> None:
    result = olap("-C", root, "need", "add", "lea-martin", *need_args(detail))
    assert result.code == 0, result.output
    assert "Traceback" not in result.output


def received(olap, root: Path, smtp, monkeypatch) -> dict[tuple[str, ...], str]:
    """Send the outbox to a real SMTP server: {RCPT TO: the text and HTML received}."""
    server = smtp()
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    result = olap("-C", root, "notify", "send")
    assert result.code == 0, result.output
    out = {}
    for rcpts, data in server.inbox.messages:
        msg = BytesParser(policy=policy.default).parsebytes(data)
        parts = [msg.get_body((kind,)).get_content() for kind in ("plain", "html")]
        heads = f"To: {msg['To']}\nCc: {msg['Cc']}\n"
        out[tuple(rcpts)] = heads + "\n".join(parts)
    return out


def readable(path: Path) -> str:
    """The text and HTML parts of an e-mail of the outbox, decoded."""
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    return "\n".join(msg.get_body((kind,)).get_content() for kind in ("plain", "html"))


def links_in(text: str) -> set[str]:
    return set(LINK.findall(text))


def token(link: str) -> str:
    return link.rsplit("/a/", 1)[1]


def test_tutor_and_apprentice_each_receive_their_own_link_alone(
    olap, cohort_repo, smtp, monkeypatch
):
    tutor_id, _ = grant(olap, cohort_repo, "tuteur")
    learner_id, _ = grant(olap, cohort_repo, "alternant")
    add_need(olap, cohort_repo)
    got = received(olap, cohort_repo, smtp, monkeypatch)
    # one copy each for the two people with a link; the trainers share the other
    assert set(got) == {(MARC,), (LEA,), (FRANCOIS, KARIM)}
    tutors, learners, trainers = got[(MARC,)], got[(LEA,)], got[(FRANCOIS, KARIM)]
    assert f"To: Marc Girard <{MARC}>\nCc: None" in tutors  # nobody else on the copy
    assert "Crème citron" in tutors and "Crème citron" in trainers  # every datum, as before
    [tutor_link] = links_in(tutors)
    [learner_link] = links_in(learners)
    assert tutor_link != learner_link
    assert learner_link not in tutors and tutor_link not in learners
    assert links_in(trainers) == set()
    # the link opens, as the tutor's / the apprentice's grant
    assert access.check_token(cohort_repo, token(tutor_link)).id == tutor_id
    assert access.check_token(cohort_repo, token(learner_link)).id == learner_id
    assert "ne transférez pas ce courriel" in tutors
    assert f'href="{tutor_link}"' in tutors  # the HTML part links it too
    # the trainers' copy: To them (nobody else left), no link
    assert f"To: François Dupont <{FRANCOIS}>" in trainers.replace("\n ", " ")
    # the token never reaches Git: outbox ignored, nothing to commit, nowhere in history
    assert "outbox" not in git(cohort_repo, "status", "--porcelain", "--untracked-files=all")
    git(cohort_repo, "add", "-A")
    git(cohort_repo, "commit", "-qm", "tout ce que git add -A prend")
    assert git(cohort_repo, "status", "--porcelain") == ""
    assert "outbox" not in git(cohort_repo, "ls-files")
    history = git(cohort_repo, "log", "-p", "--all")
    assert token(tutor_link) not in history and token(learner_link) not in history
    # sent once: a second send delivers nothing, the event is not queued again
    assert received(olap, cohort_repo, smtp, monkeypatch) == {}
    [path] = [p for p in (cohort_repo / "outbox/sent").glob("*+tuteur.eml")]
    event = notify.Event("need", "lea-martin", path.stem.split("-", 3)[-1].split("+")[0])
    assert notify.queue(cohort_repo, event).already


def test_the_link_shows_its_last_day_and_each_copy_its_own_message_id(olap, cohort_repo):
    grant(olap, cohort_repo, "tuteur", "--days", "10")
    add_need(olap, cohort_repo)
    mails = sorted((cohort_repo / "outbox/pending").glob("*.eml"), key=lambda p: "+" in p.name)
    assert "+" not in mails[0].name and mails[1].name == mails[0].stem + "+tuteur.eml"
    ids = [
        BytesParser(policy=policy.default).parsebytes(p.read_bytes())["Message-ID"] for p in mails
    ]
    assert len(set(ids)) == 2
    text = readable(mails[1])
    # granted on TODAY for 10 days: it works until the 9th day after, included
    assert "2026-11-30 inclus" in text and TODAY == "2026-11-21"


def test_a_trainer_with_a_cohort_link_gets_it_alone(olap, cohort_repo):
    done = olap(
        "-C", cohort_repo, "access", "grant", "--all", "--role", "formateur",
        "--person", "fdupont", "--commit",
    )  # fmt: skip
    assert done.code == 0, done.output
    link = done.stdout.strip().splitlines()[-1]
    add_need(olap, cohort_repo)
    waiting = {tuple(w.recipients): w for w in notify.listing(cohort_repo)[1]}
    assert set(waiting) == {(LEA, MARC, KARIM), (FRANCOIS,)}
    [mine] = (cohort_repo / "outbox/pending").glob("*+formateur-fdupont.eml")
    # the same grant's link; signed again when the e-mail is written, so its time stamp and
    # signature may differ by the second that passed in between (a token is « payload.time.sig »)
    [sent] = links_in(readable(mine))
    assert sent.rsplit(".", 2)[0] == link.replace("http://127.0.0.1:8000", URL).rsplit(".", 2)[0]


def as_before(root: Path) -> None:
    """One e-mail to the four recipients, without any link."""
    [(recipients, text)] = [
        (w.recipients, readable(p))
        for w, p in zip(
            notify.listing(root)[1], sorted((root / "outbox/pending").glob("*.eml")), strict=True
        )
    ]
    assert recipients == [LEA, MARC, FRANCOIS, KARIM]
    assert "/a/" not in text and not list((root / "outbox/pending").glob("*+*.eml"))


def test_a_revoked_grant_gives_no_link(olap, cohort_repo, smtp, monkeypatch):
    gid, _ = grant(olap, cohort_repo, "tuteur")
    assert olap("-C", cohort_repo, "access", "revoke", gid, "--commit").code == 0
    add_need(olap, cohort_repo)
    as_before(cohort_repo)
    [(rcpts, text)] = received(olap, cohort_repo, smtp, monkeypatch).items()
    assert rcpts == (LEA, MARC, FRANCOIS, KARIM) and not links_in(text)


def test_no_grant_no_key_or_no_address_gives_the_email_as_before(
    olap, cohort_repo, links_setting, monkeypatch
):
    add_need(olap, cohort_repo)  # no grant at all
    as_before(cohort_repo)


def test_no_signing_key_on_this_machine_gives_no_link(olap, cohort_repo, links_setting):
    grant(olap, cohort_repo, "tuteur")
    for key in (links_setting / "access-keys").glob("*.key"):
        key.unlink()  # the grant was made elsewhere: this machine cannot sign
    add_need(olap, cohort_repo)
    as_before(cohort_repo)
    assert not list((links_setting / "access-keys").glob("*.key"))  # none made here


def test_no_public_address_gives_no_link_and_cohort_yaml_gives_one(olap, cohort_repo, monkeypatch):
    grant(olap, cohort_repo, "tuteur")
    monkeypatch.delenv("OLAP_PUBLIC_URL")
    add_need(olap, cohort_repo)
    as_before(cohort_repo)
    # serve.public_url in cohort.yaml: the next event's tutor copy carries the link
    with (cohort_repo / "cohort.yaml").open("a", encoding="utf-8") as f:
        f.write(f"serve:\n  public_url: {URL}/\n")
    assert olap("-C", cohort_repo, "validate").code == 0
    add_need(olap, cohort_repo, "Crème citron, second service")  # not the same need again
    [mine] = (cohort_repo / "outbox/pending").glob("*+tuteur.eml")
    assert len(links_in(readable(mine))) == 1


def test_a_new_tutor_never_gets_the_former_tutors_link(olap, cohort_repo):
    grant(olap, cohort_repo, "tuteur")  # names Marc Girard
    lea = cohort_repo / "learners/lea-martin.yaml"
    edit(lea, 'first_name: "Marc"', 'first_name: "Sophie"')
    edit(lea, MARC, "sophie.girard@brasserie-halles.example")
    add_need(olap, cohort_repo)
    assert not list((cohort_repo / "outbox/pending").glob("*+*.eml"))


def test_an_outbox_git_would_commit_never_holds_a_link(olap, cohort_repo):
    grant(olap, cohort_repo, "tuteur")
    (cohort_repo / "outbox").mkdir()
    (cohort_repo / "outbox/.gitignore").write_text("# emptied by someone\n")
    add_need(olap, cohort_repo)
    mails = sorted((cohort_repo / "outbox/pending").glob("*.eml"))
    assert len(mails) == 1 and "/a/" not in readable(mails[0])
    git(cohort_repo, "add", "-A")
    assert "outbox/pending/" in git(cohort_repo, "diff", "--cached", "--name-only")


def test_everyone_with_a_link_gets_a_copy_each_and_the_event_is_built_once(olap, cohort_repo):
    grant(olap, cohort_repo, "tuteur")
    grant(olap, cohort_repo, "alternant")
    for trainer in ("fdupont", "kmessaoudi"):
        grant(olap, cohort_repo, "formateur", "--person", trainer)
    add_need(olap, cohort_repo)
    pending = cohort_repo / "outbox/pending"
    names = sorted(p.name.split("+", 1)[1] for p in pending.glob("*.eml"))
    assert names == ["alternant.eml", "formateur-fdupont.eml", "formateur-kmessaoudi.eml",
                     "tuteur.eml"]  # fmt: skip
    assert sorted(r for w in notify.listing(cohort_repo)[1] for r in w.recipients) == sorted(
        [LEA, MARC, FRANCOIS, KARIM]
    )
    links = [links_in(readable(p)) for p in pending.glob("*.eml")]
    assert all(len(found) == 1 for found in links) and len(set.union(*links)) == 4
    # no shared e-mail: the event is still known as written, never built again
    stem = next(pending.glob("*.eml")).name.split("+", 1)[0]
    event = notify.Event("need", "lea-martin", stem.split("-", 3)[-1])
    assert notify.queue(cohort_repo, event).already
    assert len(list(pending.glob("*.eml"))) == 4


def test_the_e_mail_path_spells_the_whole_cohort_as_the_models_do():
    from olapcli.core import access as rules
    from olapcli.core import model

    assert rules.WHOLE_COHORT == model.WHOLE_COHORT


def test_access_grant_starts_its_links_with_the_cohorts_public_address(
    olap, cohort_repo, monkeypatch
):
    monkeypatch.delenv("OLAP_PUBLIC_URL")
    with (cohort_repo / "cohort.yaml").open("a", encoding="utf-8") as f:
        f.write(f"serve:\n  public_url: {URL}/\n")
    _gid, link = grant(olap, cohort_repo, "tuteur")
    assert link.startswith(f"{URL}/a/")
    # the command line (or OLAP_PUBLIC_URL) still wins
    done = olap(
        "-C", cohort_repo, "access", "grant", "lea-martin", "--role", "alternant",
        "--public-url", "https://autre.cfa.example",
    )  # fmt: skip
    assert done.stdout.strip().splitlines()[-1].startswith("https://autre.cfa.example/a/")


def test_an_expired_grant_gives_no_link(olap, cohort_repo, monkeypatch):
    grant(olap, cohort_repo, "tuteur", "--days", "1")  # works on TODAY only
    monkeypatch.setenv("OLAP_TODAY", "2026-11-22")
    add_need(olap, cohort_repo)
    as_before(cohort_repo)


def test_e_mails_with_a_link_are_readable_by_their_owner_only(olap, cohort_repo, smtp, monkeypatch):
    """A personal link is a key: waiting or sent, its e-mail is the owner's file alone,
    in folders only the owner may enter (the signing key is kept the same way)."""
    grant(olap, cohort_repo, "tuteur")
    add_need(olap, cohort_repo)
    box = cohort_repo / "outbox"
    mails = list((box / "pending").glob("*.eml"))
    assert mails and all(p.stat().st_mode & 0o777 == 0o600 for p in mails)
    assert all((box / sub).stat().st_mode & 0o777 == 0o700 for sub in ("pending", "sent"))
    received(olap, cohort_repo, smtp, monkeypatch)  # sent: moved to sent/, still private
    sent = list((box / "sent").glob("*.eml"))
    assert sent and all(p.stat().st_mode & 0o777 == 0o600 for p in sent)
