"""``olap serve`` as a centre runs it: the installed command in its own process, on a
free port, reached over HTTP, stopped by Ctrl-C (exit 0, no traceback)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

from tests.web.conftest import LEA, Client, token


def serving(root, *more: str) -> subprocess.Popen[str]:
    """``olap serve`` on *root*, on a free port, in its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "olapcli", "-C", str(root), "serve", "--port", "0", *more],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_serve_starts_says_where_serves_and_stops_on_ctrl_c(cohort_repo):
    tok = token(cohort_repo, LEA, "tuteur")
    proc = serving(cohort_repo)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        found = re.search(r"olap serve écoute sur http://127\.0\.0\.1:(\d+) \(Ctrl-C", first)
        assert found, first + (proc.stderr.read() if proc.stderr else "")
        hint = proc.stdout.readline()  # to be pasted as it is, from any folder
        assert f"olap -C {cohort_repo} access grant ALTERNANT --role tuteur" in hint, hint
        client = Client("127.0.0.1", int(found.group(1)))
        assert client.open_link(tok).status == 200
        assert client.get(f"/alternants/{LEA}").status == 200
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "olap serve arrêté." in out
    assert "Traceback" not in err


def test_serve_refuses_a_bad_public_url(refused, cohort_repo):
    done = refused(cohort_repo, "-C", cohort_repo, "serve", "--public-url", "ftp://x")
    assert "adresse publique" in done.stderr


def test_serve_help_teaches_with_an_example(olap):
    done = olap("serve", "--help")
    assert done.code == 0
    assert "Exemple : olap -C cohorte serve --port 8000" in done.stdout
    assert "127.0.0.1" in done.stdout


def test_serve_takes_the_public_url_of_cohort_yaml(cohort_repo):
    with (cohort_repo / "cohort.yaml").open("a", encoding="utf-8") as handle:
        handle.write("serve:\n  public_url: https://olap.cfa.example\n")
    proc = serving(cohort_repo)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "olap serve écoute" in first, first + (proc.stderr.read() if proc.stderr else "")
        assert "--public-url https://olap.cfa.example" in proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0


def test_serve_prints_the_trainer_s_own_link_which_opens_the_dashboard(cohort_repo, refused):
    """--trainer: the link of the trainer's grant over the whole cohort, signed anew for
    the address the server listens on; no grant, no start (exit 2, nothing written)."""
    done = refused(cohort_repo, "-C", cohort_repo, "serve", "--port", "0", "--trainer", "fdupont")
    assert "olap access grant --all --role formateur --person fdupont" in done.stderr
    token(cohort_repo, "*", "formateur", "fdupont")
    proc = serving(cohort_repo, "--trainer", "fdupont")
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)", first)
        assert found, first + (proc.stderr.read() if proc.stderr else "")
        mine = proc.stdout.readline()
        link = re.search(
            rf"Votre lien \(fdupont\) : (http://127\.0\.0\.1:{found.group(1)}/a/\S+)", mine
        )
        assert link, mine
        client = Client("127.0.0.1", int(found.group(1)))
        opened = client.get(link.group(1).split(found.group(1), 1)[1])
        assert opened.status == 200 and 'content="0; url=/"' in opened.text
        assert "Tableau de bord" in client.get("/").text
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
