"""``olap access``: personal links for the tutor, the apprentice and the trainers.

Grants are recorded in access.yaml (committed, no secret); the link carries a signed,
expiring token that :func:`olapcli.app.access.check_token` verifies; the signing secret
stays outside the repository, in the user's configuration folder."""

from __future__ import annotations

import datetime as dt
import json
import stat
import time
from pathlib import Path

import pytest

from olapcli.app import access
from tests.conftest import TODAY, edit, git

LEA = "lea-martin"
PREFIX = "http://127.0.0.1:8000/a/"


@pytest.fixture(autouse=True)
def secret_dir(secrets_folder: Path) -> Path:
    """Every test: its own secrets folder (tests/conftest.py)."""
    return secrets_folder


def token_of(stdout: str) -> str:
    link = stdout.strip().splitlines()[-1]
    assert link.startswith(PREFIX), stdout
    return link.removeprefix(PREFIX)


def grants(root: Path) -> list[dict]:
    from olapcli.io import yamlread

    return yamlread.load((root / "access.yaml").read_text(encoding="utf-8"))["grants"]


def commits(root: Path) -> list[str]:
    return git(root, "log", "--format=%s").splitlines()


def secret_files(folder: Path) -> list[Path]:
    return sorted((folder / "access-keys").glob("*.key"))


# --- grant, list, revoke ---------------------------------------------------------------


def test_grant_list_revoke_round_trip(olap, cohort_repo):
    before = len(commits(cohort_repo))
    done = olap("-C", cohort_repo, "access", "grant", LEA, "--role", "tuteur", "--commit")
    assert done.code == 0, done.output
    assert "« Marc Girard »" in done.stdout
    token = token_of(done.stdout)
    [g] = grants(cohort_repo)
    today = dt.date.fromisoformat(TODAY)
    assert g == {
        "id": g["id"],
        "role": "tuteur",
        "learner": LEA,
        "person": "Marc Girard",
        "created": today,
        "expires": today + dt.timedelta(days=90),
    }
    assert g["id"].startswith("g20261121-")
    text = (cohort_repo / "access.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=.olap/schema/access.schema.json\n")
    assert token not in text
    assert len(commits(cohort_repo)) == before + 1
    assert git(cohort_repo, "status", "--porcelain") == ""
    assert access.check_token(cohort_repo, token).id == g["id"]

    listed = olap("-C", cohort_repo, "access", "list")
    assert listed.code == 0
    assert g["id"] in listed.stdout and "Marc Girard" in listed.stdout
    assert "valide" in listed.stdout

    revoked = olap("-C", cohort_repo, "access", "revoke", g["id"], "--commit")
    assert revoked.code == 0, revoked.output
    assert grants(cohort_repo)[0]["revoked"] == today
    assert len(commits(cohort_repo)) == before + 2
    assert git(cohort_repo, "status", "--porcelain") == ""
    assert g["id"] not in olap("-C", cohort_repo, "access", "list").stdout
    every = olap("-C", cohort_repo, "access", "list", "--all")
    assert g["id"] in every.stdout and "révoqué" in every.stdout
    with pytest.raises(access.TokenRevoked):
        access.check_token(cohort_repo, token)


def test_alternant_link_names_the_learner_and_the_public_url(olap, cohort_repo):
    done = olap(
        "-C", cohort_repo, "access", "grant", LEA, "--role", "alternant",
        "--days", "10", "--public-url", "https://olap.cfa.example/",
    )  # fmt: skip
    assert done.code == 0, done.output
    link = done.stdout.strip().splitlines()[-1]
    assert link.startswith("https://olap.cfa.example/a/")
    [g] = grants(cohort_repo)
    assert g["person"] == "Léa Martin"
    assert g["expires"] == dt.date.fromisoformat(TODAY) + dt.timedelta(days=10)
    # without --commit, access.yaml is written and left for the user to commit
    assert "?? access.yaml" in git(cohort_repo, "status", "--porcelain")


@pytest.mark.parametrize("whole", [["--all"], ["*"]])
def test_a_trainer_link_may_open_the_whole_cohort(olap, cohort_repo, whole):
    done = olap(
        "-C", cohort_repo, "access", "grant", *whole, "--role", "formateur",
        "--person", "Anne.Berger@cfa-metiers-bouche.example", "--commit",
    )  # fmt: skip
    assert done.code == 0, done.output
    assert commits(cohort_repo)[0].endswith(": formateur pour toute la cohorte")
    [g] = grants(cohort_repo)
    assert (g["learner"], g["person"]) == ("*", "aberger")  # the e-mail names the trainer
    grant = access.check_token(cohort_repo, token_of(done.stdout))
    assert grant.role == "formateur" and grant.learner == "*"
    assert "toute la cohorte" in olap("-C", cohort_repo, "access", "list").stdout


def test_list_as_json_shows_each_state(olap, cohort_repo):
    for role in ("tuteur", "alternant"):
        assert olap("-C", cohort_repo, "access", "grant", LEA, "--role", role).code == 0
    first, second = (g["id"] for g in grants(cohort_repo))
    edit(cohort_repo / "access.yaml", "expires: 2027-02-19", f"expires: {TODAY}")
    assert olap("-C", cohort_repo, "access", "revoke", second).code == 0
    shown = json.loads(olap("-C", cohort_repo, "access", "list", "--all", "-f", "json").stdout)
    assert {(r["id"], r["state"]) for r in shown} == {(first, "expired"), (second, "revoked")}
    assert json.loads(olap("-C", cohort_repo, "access", "list", "-f", "json").stdout) == []


def test_names_in_the_table_are_shown_as_written(olap, cohort_repo):
    name = "[bold red]Zoé[/] \x1b]0;titre\x07"
    done = olap("-C", cohort_repo, "access", "grant", LEA, "--role", "tuteur", "--person", name)
    assert done.code == 0, done.output
    listed = olap("-C", cohort_repo, "access", "list").stdout
    assert "[bold red]Zoé[/]" in listed
    assert "\x1b" not in listed and "\x07" not in listed


# --- the token -------------------------------------------------------------------------


def make(root: Path, role: str = "tuteur", now: float | None = None) -> access.Granted:
    return access.grant_access(root, LEA, role, dt.date.fromisoformat(TODAY), now=now)


def test_a_token_opens_its_grant(cohort_repo):
    made = make(cohort_repo)
    token = made.link.removeprefix(PREFIX)
    assert access.check_token(cohort_repo, token) == made.grant
    # a day later still
    assert access.check_token(cohort_repo, token, now=time.time() + 86400) == made.grant


@pytest.mark.parametrize("where", ["payload", "signature", "garbage"])
def test_a_tampered_token_is_refused(cohort_repo, where):
    token = make(cohort_repo).link.removeprefix(PREFIX)
    body, stamp, signature = token.split(".")
    if where == "payload":  # another grant id, the signature left as it was
        import base64

        other = base64.urlsafe_b64encode(b'["g20261121-0000000000","tuteur","lea-martin"]')
        token = ".".join([other.decode().rstrip("="), stamp, signature])
    elif where == "signature":
        token = ".".join([body, stamp, ("A" if signature[0] != "A" else "B") + signature[1:]])
    else:
        token = "pas-un-jeton"
    with pytest.raises(access.TokenTampered):
        access.check_token(cohort_repo, token)


def test_a_token_signed_by_another_secret_is_refused(cohort_repo, secret_dir):
    token = make(cohort_repo).link.removeprefix(PREFIX)
    [key] = secret_files(secret_dir)
    key.write_text("un-autre-secret\n")
    with pytest.raises(access.TokenTampered):
        access.check_token(cohort_repo, token)


def test_a_token_expires_with_its_grant(cohort_repo):
    made = make(cohort_repo, now=time.time() - 91 * 86400)  # signed 91 days ago
    token = made.link.removeprefix(PREFIX)
    with pytest.raises(access.TokenExpired):
        access.check_token(cohort_repo, token)
    fresh = make(cohort_repo).link.removeprefix(PREFIX)
    with pytest.raises(access.TokenExpired):  # itsdangerous' max_age, on the clock given
        access.check_token(cohort_repo, fresh, now=time.time() + 90 * 86400 + 60)


def test_a_grant_shortened_in_access_yaml_ends_its_link(cohort_repo):
    token = make(cohort_repo).link.removeprefix(PREFIX)
    edit(cohort_repo / "access.yaml", "expires: 2027-02-19", f"expires: {TODAY}")
    with pytest.raises(access.TokenExpired):
        access.check_token(cohort_repo, token)


def test_a_token_of_a_grant_no_longer_recorded_is_unknown(cohort_repo):
    first = make(cohort_repo)
    token = first.link.removeprefix(PREFIX)
    make(cohort_repo, "alternant")
    text = (cohort_repo / "access.yaml").read_text(encoding="utf-8")
    (cohort_repo / "access.yaml").write_text(text.replace(first.grant.id, "g20261121-aaaaaaaaaa"))
    with pytest.raises(access.TokenUnknown):
        access.check_token(cohort_repo, token)
    # a grant whose role was changed by hand does not open the old link either
    (cohort_repo / "access.yaml").write_text(text.replace("role: tuteur", "role: formateur"))
    with pytest.raises(access.TokenUnknown):
        access.check_token(cohort_repo, token)


def test_without_the_secret_no_link_opens(cohort_repo, secret_dir):
    token = make(cohort_repo).link.removeprefix(PREFIX)
    [key] = secret_files(secret_dir)
    key.unlink()
    with pytest.raises(access.TokenUnknown):
        access.check_token(cohort_repo, token)


def test_token_errors_are_refusals_in_french(cohort_repo):
    with pytest.raises(access.TokenError) as caught:
        make(cohort_repo)
        access.check_token(cohort_repo, "abc.def.ghi")
    assert isinstance(caught.value, access.TokenTampered)
    assert "endommagé" in caught.value.message


# --- the secret ------------------------------------------------------------------------


def test_the_secret_never_enters_the_repository(olap, cohort_repo, secret_dir):
    outputs = []
    for args in (
        [LEA, "--role", "tuteur", "--commit"],
        ["--all", "--role", "formateur", "--person", "fdupont", "--commit"],
    ):
        done = olap("-C", cohort_repo, "access", "grant", *args)
        assert done.code == 0, done.output
        outputs.append(done.output)
    outputs.append(olap("-C", cohort_repo, "access", "list", "--all").output)
    [key] = secret_files(secret_dir)  # one secret for the cohort, made once
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    secret = key.read_text().strip()
    assert len(secret) >= 43
    for path in cohort_repo.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    history = git(cohort_repo, "log", "--all", "-p", "--format=%H %s%n%b")
    assert "access.yaml" in history and secret not in history
    assert all(secret not in text for text in outputs)
    assert not any(cohort_repo.rglob("*.key"))


def test_the_secret_goes_to_the_config_folder_by_default(olap, cohort_repo, monkeypatch, tmp_path):
    monkeypatch.delenv("OLAP_SECRET_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert olap("-C", cohort_repo, "access", "grant", LEA, "--role", "tuteur").code == 0
    assert len(list((tmp_path / "config/olap/access-keys").glob("*.key"))) == 1
    monkeypatch.delenv("XDG_CONFIG_HOME")
    home = Path.home()
    assert olap("-C", cohort_repo, "access", "grant", LEA, "--role", "tuteur").code == 0
    [key] = (home / ".config/olap/access-keys").glob("*.key")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_a_secret_folder_inside_the_cohort_is_refused(refused, cohort_repo, monkeypatch):
    monkeypatch.setenv("OLAP_SECRET_DIR", str(cohort_repo / "secrets"))
    result = refused(cohort_repo, "-C", cohort_repo, "access", "grant", LEA, "--role", "tuteur")
    assert "OLAP_SECRET_DIR" in result.output


# --- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["nobody", "--role", "tuteur"], "Alternant inconnu"),
        ([LEA, "--role", "chef"], "--role"),
        ([LEA, "--role", "tuteur", "--days", "0"], "1 à 400 jours"),
        ([LEA, "--role", "tuteur", "--days", "401"], "1 à 400 jours"),
        ([LEA, "--role", "tuteur", "--public-url", "javascript:alert(1)"], "adresse"),
        (["--role", "tuteur"], "Pour quel alternant"),
        ([LEA, "--all", "--role", "formateur", "--person", "fdupont"], "pas les deux"),
        (["--all", "--role", "tuteur"], "formateur"),
        (["*", "--role", "alternant"], "formateur"),
        (["--all", "--role", "formateur"], "--person"),
        (["--all", "--role", "formateur", "--person", "zorro"], "zorro"),
        (["kevin-lopez", "--role", "tuteur"], "tuteur"),  # searching: no tutor yet
    ],
)
def test_bad_grants_are_refused(refused, cohort_repo, args, said):
    result = refused(cohort_repo, "-C", cohort_repo, "access", "grant", *args)
    assert said in result.output


def test_grant_commit_outside_git_is_refused(refused, cohort_dir, secret_dir):
    refused(cohort_dir, "-C", cohort_dir, "access", "grant", LEA, "--role", "tuteur", "--commit")
    assert secret_files(secret_dir) == []


def test_revoking_an_unknown_or_revoked_link_is_refused(olap, refused, cohort_repo):
    result = refused(cohort_repo, "-C", cohort_repo, "access", "revoke", "g20990101-0000000000")
    assert "Aucun lien personnel" in result.output
    assert olap("-C", cohort_repo, "access", "grant", LEA, "--role", "tuteur").code == 0
    [g] = grants(cohort_repo)
    refused(cohort_repo, "-C", cohort_repo, "access", "revoke", g["id"][:-1])
    assert olap("-C", cohort_repo, "access", "revoke", g["id"]).code == 0
    result = refused(cohort_repo, "-C", cohort_repo, "access", "revoke", g["id"])
    assert "déjà été révoqué" in result.output


def test_a_broken_access_yaml_refuses_every_access_command(olap, refused, cohort_repo):
    done = olap("-C", cohort_repo, "access", "grant", LEA, "--role", "tuteur")
    assert done.code == 0
    [g] = grants(cohort_repo)
    edit(cohort_repo / "access.yaml", "role: tuteur", "role: tuteur\n    color: blue")
    for args in (
        ["grant", LEA, "--role", "alternant"],
        ["list"],
        ["revoke", g["id"]],
    ):
        result = refused(cohort_repo, "-C", cohort_repo, "access", *args)
        assert "access.yaml:7:5" in result.output, result.output
    # the web front door is refused too: a link is not opened on a file it cannot read
    from olapcli.errors import ProblemsError

    with pytest.raises(ProblemsError):
        access.check_token(cohort_repo, token_of(done.stdout))


# --- validate --------------------------------------------------------------------------


def test_validate_checks_access_yaml(olap, cohort_repo):
    for args in (
        [LEA, "--role", "tuteur"],
        [LEA, "--role", "alternant"],
        ["--all", "--role", "formateur", "--person", "fdupont"],
    ):
        assert olap("-C", cohort_repo, "access", "grant", *args).code == 0
    clean = olap("-C", cohort_repo, "validate", "--format", "json")
    assert clean.code == 0, clean.output
    assert not [p for p in json.loads(clean.stdout) if p["path"] == "access.yaml"]
    first, second, _third = (g["id"] for g in grants(cohort_repo))
    path = cohort_repo / "access.yaml"
    edit(path, "learner: lea-martin", "learner: lea-martine")
    edit(path, "expires: 2027-02-19", "expires: 2026-01-01")
    edit(path, second, first)
    edit(path, "person: fdupont", "person: zorro")
    path.write_text(
        path.read_text(encoding="utf-8")
        + '  - id: g1\n    role: tuteur\n    learner: "*"\n    person: X\n'
        "    created: 2026-11-21\n    expires: 2026-12-21\n",
        encoding="utf-8",
    )
    result = olap("-C", cohort_repo, "validate", "--format", "json")
    assert result.code == 1, result.output
    found = {
        (p["code"], p["line"], p["col"]) for p in json.loads(result.stdout)
        if p["path"] == "access.yaml"
    }  # fmt: skip
    lines = path.read_text(encoding="utf-8").splitlines()

    def at(needle: str, nth: int = 0) -> int:
        return [i for i, line in enumerate(lines, 1) if needle in line][nth]

    assert found == {
        ("unknown-learner", at("lea-martine"), 14),
        ("date-order", at("expires: 2026-01-01"), 14),
        ("duplicate-id", at(f"id: {first}", 1), 9),
        ("unknown-trainer", at("person: zorro"), 13),
        ("access-scope", at('learner: "*"', 1), 14),
    }
    text = olap("-C", cohort_repo, "validate")
    assert f"access.yaml:{at('lea-martine')}:14: erreur [unknown-learner]" in text.stdout


def test_validate_locates_a_parse_error_in_access_yaml(olap, cohort_repo):
    (cohort_repo / "access.yaml").write_text("grants:\n  - id: [g1\n", encoding="utf-8")
    result = olap("-C", cohort_repo, "validate")
    assert result.code == 1
    assert "access.yaml:" in result.stdout and "erreur" in result.stdout


def test_access_yaml_follows_its_json_schema(olap, cohort_repo):
    from olapcli.io import yamlread
    from tests.test_schema import schema_errors

    for args in (
        [LEA, "--role", "tuteur"],
        ["--all", "--role", "formateur", "--person", "kmessaoudi"],
    ):
        assert olap("-C", cohort_repo, "access", "grant", *args).code == 0
    [first, _second] = grants(cohort_repo)
    assert olap("-C", cohort_repo, "access", "revoke", first["id"]).code == 0
    text = (cohort_repo / "access.yaml").read_text(encoding="utf-8")
    assert schema_errors("access", yamlread.load(text)) == []
    # the schema refuses what the model refuses
    for old, new in (("role: tuteur", "role: patron"), ("role: tuteur", "role: tuteur\n    x: 1")):
        assert schema_errors("access", yamlread.load(text.replace(old, new))) != []
        (cohort_repo / "access.yaml").write_text(text.replace(old, new), encoding="utf-8")
        assert olap("-C", cohort_repo, "validate").code == 1


def test_a_signing_key_others_can_read_is_not_used(olap, refused, cohort_repo, secret_dir):
    done = olap("-C", cohort_repo, "access", "grant", LEA, "--role", "tuteur")
    assert done.code == 0
    [key] = secret_files(secret_dir)
    key.chmod(0o644)
    result = refused(cohort_repo, "-C", cohort_repo, "access", "grant", LEA, "--role", "alternant")
    assert "chmod 600" in result.output and key.read_text().strip() not in result.output
    with pytest.raises(access.UserError):
        access.check_token(cohort_repo, token_of(done.stdout))
    key.chmod(0o600)
    assert access.check_token(cohort_repo, token_of(done.stdout)).role == "tuteur"


# --- --send: the link e-mailed to the person alone ------------------------------------------


def test_send_e_mails_the_link_to_the_person_alone(olap, cohort_repo, smtp, monkeypatch):
    import email
    from email import policy

    done = olap(
        "-C", cohort_repo, "access", "grant", LEA, "--role", "tuteur",
        "--public-url", "https://olap.cfa.example", "--send", "--commit",
    )  # fmt: skip
    assert done.code == 0, done.output
    link = next(ln for ln in done.stdout.splitlines() if ln.startswith("https://"))
    assert "Envoyé à Marc Girard <marc.girard@brasserie-halles.example>" in done.stdout
    [grant] = grants(cohort_repo)
    path = cohort_repo / "outbox" / "pending" / f"link-{grant['id']}.eml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a key: its owner reads it alone
    assert git(cohort_repo, "status", "--porcelain") == ""  # never in a commit
    server = smtp()
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    assert olap("-C", cohort_repo, "notify", "send").code == 0
    [(rcpts, data)] = server.inbox.messages
    assert rcpts == ["marc.girard@brasserie-halles.example"]  # no one else
    mail = email.message_from_bytes(data, policy=policy.default)
    body = mail.get_content()
    assert link in body and "Bonjour Marc Girard" in body and "Léa Martin" in mail["Subject"]
    last = dt.date.fromisoformat(str(grant["expires"])) - dt.timedelta(days=1)
    assert f"jusqu'au {last.isoformat()} inclus" in body
    assert access.check_token(cohort_repo, link.rsplit("/", 1)[1]).id == grant["id"]


def test_send_to_a_trainer_takes_the_address_of_cohort_yaml(olap, cohort_repo):
    done = olap(
        "-C", cohort_repo, "access", "grant", "--all", "--role", "formateur",
        "--person", "fdupont", "--public-url", "https://olap.cfa.example", "--send",
    )  # fmt: skip
    assert done.code == 0, done.output
    [sent] = (cohort_repo / "outbox" / "pending").glob("link-*.eml")
    text = sent.read_text(encoding="utf-8")
    to = text.split("\nTo: ", 1)[1].split("\n", 1)[0]
    assert to.endswith("<francois.dupont@cfa-metiers-bouche.example>"), to
    assert "toute la cohorte" in done.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ([LEA, "--role", "tuteur"], "--public-url"),  # a link to this computer: useless
        ([LEA, "--role", "alternant", "--public-url", "https://o.example"], "adresse e-mail"),
        (["*", "--role", "tuteur", "--public-url", "https://o.example"], "formateur"),
        (["nobody", "--role", "tuteur", "--public-url", "https://o.example"], "nobody"),
        ([LEA, "--role", "tuteur", "--public-url", "https://o.example"], "pas une adresse"),
    ],
)
def test_send_refusals_grant_nothing(refused, cohort_repo, args, said, monkeypatch):
    if "alternant" in args:  # Léa without an e-mail address
        edit(cohort_repo / f"learners/{LEA}.yaml", "email: lea.martin", "# email: lea.martin")
        git(cohort_repo, "commit", "-qam", "sans adresse")
    if said == "pas une adresse":  # the sender: checked before the link is granted
        edit(cohort_repo / "cohort.yaml", "  sender:", "  # sender:")
        git(cohort_repo, "commit", "-qam", "sans expéditeur")
        monkeypatch.setenv("OLAP_SMTP_FROM", "pas une adresse")
    out = refused(cohort_repo, "-C", cohort_repo, "access", "grant", *args, "--send").output
    assert said in out
    assert not (cohort_repo / "access.yaml").exists() or "grants" not in (
        cohort_repo / "access.yaml"
    ).read_text(encoding="utf-8")
