"""olap serve, route by route: who may open what, links that open nothing, CSRF, the
security headers, malformed and oversized requests — on a real server over HTTP."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY, edit, git, snapshot
from tests.web.conftest import LEA, Client, Server, start, token

OTHER = "chloe-dubois"
LEA_NEED = "b20250924-98a45ddc0a"
HEADERS = {
    "content-security-policy": "default-src 'self'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
#: every route of a learner: (method, path)
ROUTES = [
    ("GET", "/alternants/{id}"),
    ("GET", "/alternants/{id}/besoins/nouveau"),
    ("POST", "/alternants/{id}/besoins/nouveau"),
    ("POST", "/alternants/{id}/besoins/{need}/confirmer"),
    ("POST", "/alternants/{id}/besoins/{need}/etape"),
    ("POST", "/alternants/{id}/prospects"),
    ("POST", "/alternants/{id}/prospects/p-x/etape"),
    ("POST", "/alternants/{id}/besoins/{need}/note"),
]


def need_form(csrf: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf": csrf,
        "activity": "6.3",
        "identified": TODAY,
        "due": "2026-11-25",
        "detail": "Crème citron pour 40 parts",
        "practice": "qualite",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def logged_in(serve: Server, learner: str, role: str, person: str | None = None) -> Client:
    client = serve.client()
    done = client.open_link(token(serve.root, learner, role, person))
    assert done.status == 200, done.text
    return client


def assert_headers(response) -> None:
    for key, value in HEADERS.items():
        assert response.headers.get(key, "").startswith(value), (key, response.headers)


def commits(root) -> int:
    return len(git(root, "log", "--format=%H").splitlines())


# --- links and sessions ------------------------------------------------------------------


def test_a_link_sets_a_strict_session_and_leaves_the_address_bar(serve):
    client = serve.client()
    done = client.open_link(token(serve.root, LEA, "tuteur"))
    # a page of this site that goes on to the person's pages (no redirect: one that
    # follows another site's click would not carry a SameSite=Strict cookie)
    assert done.status == 200 and "location" not in done.headers
    assert f'<meta http-equiv="refresh" content="0; url=/alternants/{LEA}">' in done.text
    assert (
        f'<a href="/alternants/{LEA}">' in done.text and done.headers["cache-control"] == "no-store"
    )
    assert "/a/" not in done.text  # the token is not repeated in the page
    assert_headers(done)
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    page = client.get(f"/alternants/{LEA}")
    assert page.status == 200 and "Léa Martin" in page.text
    assert '<html lang="fr">' in page.text
    assert_headers(page)


def test_logging_out_ends_this_browser_s_session(serve):
    """A computer shared at the company: « Se déconnecter » on every page (a form with
    the CSRF token, so another site cannot log a person out); the link still opens."""
    client = logged_in(serve, LEA, "tuteur")
    page = client.get(f"/alternants/{LEA}")
    assert 'action="/deconnexion"' in page.text and "Se déconnecter" in page.text
    csrf = client.csrf(f"/alternants/{LEA}")
    assert client.post("/deconnexion", {"csrf": "wrong"}).status == 400
    assert client.get(f"/alternants/{LEA}").status == 200  # still logged in
    done = client.post("/deconnexion", {"csrf": csrf})
    assert done.status == 200 and "Déconnecté" in done.text and "lien personnel" in done.text
    assert "Se déconnecter" not in done.text
    assert_headers(done)
    assert client.get(f"/alternants/{LEA}").status == 403
    assert client.post(f"/alternants/{LEA}/besoins/nouveau", need_form(csrf)).status in (400, 403)
    assert client.open_link(token(serve.root, LEA, "tuteur")).status == 200


def test_cookies_are_secure_behind_an_https_public_url(cohort_repo):
    for serve in start(cohort_repo, public_url="https://olap.cfa.example"):
        done = serve.client().open_link(token(cohort_repo, LEA, "tuteur"))
        assert "Secure" in done.headers["set-cookie"]


@pytest.mark.parametrize("reason", ["tampered", "unknown", "revoked", "expired"])
def test_a_link_that_opens_nothing_gets_a_french_403(serve, reason):
    tok = token(serve.root, LEA, "tuteur")
    grant = git(serve.root, "log", "-1", "--format=%s").split()[2].rstrip(":")
    if reason == "tampered":
        tok = tok[:-2] + ("AA" if not tok.endswith("AA") else "BB")
        expected = "endommagé"
    elif reason == "unknown":
        edit(serve.root / "access.yaml", f"id: {grant}", "id: g20000101-0000000000")
        expected = "inconnu"
    elif reason == "revoked":
        edit(serve.root / "access.yaml", "expires:", "revoked: 2026-11-20\n    expires:")
        expected = "révoqué"
    else:
        edit(serve.root / "access.yaml", "expires: 2027", "expires: 2026-11-21  # 2027")
        expected = "expiré"
    client = serve.client()
    done = client.open_link(tok)
    assert done.status == 403
    assert expected in done.text and "Traceback" not in done.text
    assert "Demandez un nouveau lien au centre" in done.text  # a sentence on a page
    assert_headers(done)
    assert "olap_session" not in client.cookies
    assert client.get(f"/alternants/{LEA}").status == 403


def test_revoked_after_login_is_refused_on_the_next_request(serve, olap):
    client = logged_in(serve, LEA, "tuteur")
    assert client.get(f"/alternants/{LEA}").status == 200
    grant = git(serve.root, "log", "-1", "--format=%s").split()[2].rstrip(":")
    assert olap("-C", serve.root, "access", "revoke", grant, "--commit").code == 0
    again = client.get(f"/alternants/{LEA}")
    assert again.status == 403 and "Accès refusé" in again.text


def test_links_are_rate_limited_per_address(cohort_repo):
    for serve in start(cohort_repo, links_per_minute=3):
        client = serve.client()
        codes = [client.open_link("nonsense").status for _ in range(4)]
        assert codes == [403, 403, 403, 429]
        assert "Trop" in client.open_link("nonsense").text
        # only failed links count: a valid one still opens from the same address (behind
        # a proxy, everybody's address)
        assert client.open_link(token(cohort_repo, LEA, "tuteur")).status == 200


# --- scoping, route by route ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["tuteur", "alternant"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_learner_session_is_refused_every_route_of_another(serve, role, method, path):
    client = logged_in(serve, LEA, role)
    csrf = client.csrf(f"/alternants/{LEA}/besoins/nouveau")
    before = snapshot(serve.root)
    target = path.format(id=OTHER, need=LEA_NEED)
    if method == "GET":
        done = client.get(target)
    else:
        done = client.post(target, need_form(csrf, step="applied"))
    assert done.status == 403, done.text
    assert "Accès refusé" in done.text
    assert_headers(done)
    assert snapshot(serve.root) == before


@pytest.mark.parametrize("role", ["tuteur", "alternant"])
def test_the_dashboard_is_for_trainers_only(serve, role):
    client = logged_in(serve, LEA, role)
    done = client.get("/")
    assert done.status == 303 and done.headers["location"] == f"/alternants/{LEA}"
    assert "Tableau de bord" not in done.text


def test_a_trainer_of_one_learner_has_no_dashboard(serve):
    client = logged_in(serve, LEA, "formateur", "fdupont")
    assert client.get("/").status == 303
    assert client.get(f"/alternants/{OTHER}").status == 403
    assert client.get(f"/alternants/{LEA}").status == 200


def test_no_session_no_page(serve):
    client = serve.client()
    for method, path in ROUTES:
        target = path.format(id=LEA, need=LEA_NEED)
        done = client.get(target) if method == "GET" else client.post(target, {"csrf": "x"})
        assert done.status == 403, target
    assert client.get("/").status == 403


def test_the_trainer_dashboard_links_every_learner(serve):
    client = logged_in(serve, "*", "formateur", "fdupont")
    board = client.get("/")
    assert board.status == 200 and "Tableau de bord" in board.text
    assert f'href="/alternants/{OTHER}"' in board.text
    assert client.get(f"/alternants/{OTHER}").status == 200
    assert client.get("/alternants/nobody").status == 404


# --- CSRF, bodies, errors -------------------------------------------------------------------


@pytest.mark.parametrize("csrf", [None, "", "wrong"])
def test_a_post_without_the_session_csrf_token_is_400_and_writes_nothing(serve, csrf):
    client = logged_in(serve, LEA, "tuteur")
    client.csrf(f"/alternants/{LEA}/besoins/nouveau")
    before, count = snapshot(serve.root), commits(serve.root)
    for path in (
        f"/alternants/{LEA}/besoins/nouveau",
        f"/alternants/{LEA}/besoins/{LEA_NEED}/confirmer",
        f"/alternants/{LEA}/besoins/{LEA_NEED}/etape",
    ):
        done = client.post(path, need_form(csrf, step="applied"))  # type: ignore[arg-type]
        assert done.status == 400, path
        assert "Requête incorrecte" in done.text and "Rechargez la page" in done.text
        assert_headers(done)
    assert snapshot(serve.root) == before and commits(serve.root) == count


def test_another_sessions_csrf_token_does_not_do(serve):
    mallory = logged_in(serve, LEA, "tuteur")
    stolen = mallory.csrf(f"/alternants/{LEA}/besoins/nouveau")
    client = logged_in(serve, LEA, "alternant")
    client.csrf(f"/alternants/{LEA}/besoins/nouveau")
    before = snapshot(serve.root)
    assert client.post(f"/alternants/{LEA}/besoins/nouveau", need_form(stolen)).status == 400
    assert snapshot(serve.root) == before


def test_an_oversized_body_is_413_in_french_and_the_server_goes_on(serve):
    client = logged_in(serve, LEA, "tuteur")
    csrf = client.csrf(f"/alternants/{LEA}/besoins/nouveau")
    before = snapshot(serve.root)
    big = client.post(f"/alternants/{LEA}/besoins/nouveau", need_form(csrf, detail="x" * 200_000))
    assert big.status == 413 and "trop" in big.text.lower()
    assert_headers(big)
    assert snapshot(serve.root) == before
    assert client.get(f"/alternants/{LEA}").status == 200


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe\x00garbage=%%%", "application/x-www-form-urlencoded"),
        (b"--x\r\nnot a multipart", "multipart/form-data; boundary=x"),
        (b'{"activity": "6.3"}', "application/json"),
        (b"csrf=a&csrf=b&activity=1&activity=2", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_posts_are_4xx_never_500(serve, body, content_type):
    client = logged_in(serve, LEA, "tuteur")
    client.csrf(f"/alternants/{LEA}/besoins/nouveau")
    before = snapshot(serve.root)
    done = client.request(
        "POST",
        f"/alternants/{LEA}/besoins/nouveau",
        body=body,
        headers={"Content-Type": content_type},
    )
    assert 400 <= done.status < 500, done.text
    assert "Traceback" not in done.text
    assert snapshot(serve.root) == before
    assert client.get(f"/alternants/{LEA}").status == 200


def test_error_pages_are_french_with_the_headers(serve):
    client = serve.client()
    missing = client.get("/nulle-part")
    assert missing.status == 404 and "Page introuvable" in missing.text
    wrong = client.request("DELETE", "/")
    assert wrong.status == 405 and "Méthode" in wrong.text
    css = client.get("/static/olap.css")
    assert css.status == 200 and css.headers["content-type"].startswith("text/css")
    for done in (missing, wrong, css):
        assert_headers(done)


def test_a_bug_is_a_french_500_logged_on_the_server_only(serve, monkeypatch, caplog):
    from olapcli.app import serve as use

    def broken(*args: object) -> object:
        raise RuntimeError("secret detail of the bug")

    monkeypatch.setattr(use, "learner_page", broken)
    client = logged_in(serve, LEA, "tuteur")
    done = client.get(f"/alternants/{LEA}")
    assert done.status == 500 and "Erreur du serveur" in done.text
    assert "secret detail" not in done.text and "Traceback" not in done.text
    assert_headers(done)
    assert "secret detail of the bug" in caplog.text


def test_user_text_is_escaped(serve):
    client = logged_in(serve, LEA, "tuteur")
    csrf = client.csrf(f"/alternants/{LEA}/besoins/nouveau")
    evil = "<script>alert(1)</script> & <b>gras</b>"
    done = client.post(f"/alternants/{LEA}/besoins/nouveau", need_form(csrf, detail=evil))
    assert done.status == 303, done.text
    page = client.get(f"/alternants/{LEA}").text
    assert "<script>alert(1)" not in page and "<b>gras" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;" in page
    board = logged_in(serve, "*", "formateur", "fdupont").get("/").text
    assert "<script>alert(1)" not in board and "&lt;script&gt;" in board


def test_the_rate_limit_forgets_stale_addresses():
    from olapcli.web import RateLimit

    now = [0.0]
    limit = RateLimit(2, 60.0, lambda: now[0])
    assert limit.allow("a") and limit.allow("a") and not limit.allow("a")
    for i in range(10_001):
        limit.allow(f"10.0.{i // 256}.{i % 256}")
    now[0] = 61.0
    assert limit.allow("a")  # a minute later: allowed again
    assert len(limit.hits) == 1  # and the stale addresses were forgotten


def test_the_secrets_folder_can_be_given_to_the_app(cohort_repo, secret_dir, tmp_path, monkeypatch):
    tok = token(cohort_repo, LEA, "tuteur")  # signed with the key in secret_dir
    monkeypatch.setenv("OLAP_SECRET_DIR", str(tmp_path / "elsewhere"))
    for serve in start(cohort_repo):
        assert serve.client().open_link(tok).status == 403  # another folder: another key
    for serve in start(cohort_repo, secret_dir=secret_dir):
        client = serve.client()
        assert client.open_link(tok).status == 200
        assert client.get(f"/alternants/{LEA}").status == 200


# --- what a hand-edited access.yaml or cohort data may not do ------------------------------


def _grant(role: str, learner: str):
    import datetime as dt

    from olapcli.core.model import Grant

    day = dt.date(2026, 11, 21)
    return Grant(
        id="g1", role=role, learner=learner, person="x", created=day, expires=day + dt.timedelta(9)
    )


def test_only_a_trainers_link_opens_the_whole_cohort():
    from olapcli.core.access import covers

    assert covers(_grant("formateur", "*"), LEA)
    assert not covers(_grant("tuteur", "*"), LEA)  # an access.yaml edited by hand
    assert covers(_grant("tuteur", LEA), LEA) and not covers(_grant("tuteur", LEA), "autre")


@pytest.mark.parametrize("name", ["Evil <ceo@cfa.example>", "Marc\nGirard", "a > b <c"])
def test_a_name_cannot_choose_the_commit_author(name):
    from olapcli.app.serve import Actor

    author = Actor(_grant("tuteur", LEA), name, "marc@x.example", "entreprise").author
    # Git keeps what stands between the first « < » and « > »: the person's own address
    kept = author[author.index("<") + 1 : author.index(">")]
    assert kept == "marc@x.example" and author.count("<") == 1, author
    assert "\n" not in author
