"""olap notify send when the SMTP server cannot be used: said in French, in olap's words,
with what to do; nothing sent, every e-mail still pending (real aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import re

from tests.mailserver import Inbox, free_port
from tests.test_notify import add_need, pending

#: Python's and smtplib's English, which must not reach the user
RAW = re.compile(r"Errno|Connection refused|not supported|SSL:|WRONG_VERSION|Traceback|smtplib")


def said(result) -> str:
    return " ".join(result.output.split())


def use(monkeypatch, env: dict[str, str]) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def test_nothing_answers_on_the_port(olap, cohort_repo, monkeypatch, refused):
    add_need(olap, cohort_repo)
    port = free_port()
    use(
        monkeypatch,
        {
            "OLAP_SMTP_HOST": "127.0.0.1",
            "OLAP_SMTP_PORT": str(port),
            "OLAP_SMTP_SECURITY": "none",
            "OLAP_SMTP_TIMEOUT": "5",
        },
    )
    out = said(refused(cohort_repo, "-C", cohort_repo, "notify", "send"))
    assert f"rien ne répond sur le port {port} (connexion refusée)" in out
    assert "OLAP_SMTP_PORT" in out and "toujours" not in out
    assert RAW.search(out) is None, out
    assert len(pending(cohort_repo)) == 1


def test_a_wrong_password(olap, cohort_repo, smtp, monkeypatch, refused):
    server = smtp(password="s3cret")
    add_need(olap, cohort_repo)
    use(monkeypatch, server.env(OLAP_SMTP_USER="cfa", OLAP_SMTP_PASSWORD="faux"))
    out = said(refused(cohort_repo, "-C", cohort_repo, "notify", "send"))
    assert "a refusé l'identifiant ou le mot de passe" in out
    assert "vérifiez OLAP_SMTP_USER et OLAP_SMTP_PASSWORD" in out
    assert RAW.search(out) is None and "535" not in out, out
    assert server.inbox.messages == [] and len(pending(cohort_repo)) == 1


def test_starttls_asked_of_a_server_without_it(olap, cohort_repo, smtp, monkeypatch, refused):
    server = smtp()
    add_need(olap, cohort_repo)
    use(monkeypatch, server.env(OLAP_SMTP_SECURITY="starttls"))
    out = said(refused(cohort_repo, "-C", cohort_repo, "notify", "send"))
    assert "il ne propose pas STARTTLS" in out and "OLAP_SMTP_SECURITY=tls" in out
    assert RAW.search(out) is None, out
    assert server.inbox.messages == [] and len(pending(cohort_repo)) == 1


def test_tls_asked_of_a_plain_port(olap, cohort_repo, smtp, monkeypatch, refused):
    server = smtp()
    add_need(olap, cohort_repo)
    use(monkeypatch, server.env(OLAP_SMTP_SECURITY="tls"))
    out = said(refused(cohort_repo, "-C", cohort_repo, "notify", "send"))
    assert "la connexion sécurisée (TLS) a échoué" in out
    assert "tls pour 465, starttls pour 587" in out
    assert RAW.search(out) is None, out
    assert server.inbox.messages == [] and len(pending(cohort_repo)) == 1


def test_a_refused_recipient_says_what_to_do(olap, cohort_repo, smtp, monkeypatch):
    server = smtp(Inbox(refuse={"marc.girard@brasserie-halles.example"}))
    add_need(olap, cohort_repo)
    use(monkeypatch, server.env())
    result = olap("-C", cohort_repo, "notify", "send")
    out = said(result)
    # some recipients got it: a partial outcome (exit 1), not a refusal of the command
    assert result.code == 1 and "Traceback" not in out
    assert "toujours en attente pour marc.girard@brasserie-halles.example" in out
    assert "vérifiez les adresses refusées" in out and "relancez olap notify send" in out
