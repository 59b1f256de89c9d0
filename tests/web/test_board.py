"""The trainer's dashboard kept in memory (app/dashboard.py) never hides a write: a need
signalled through the form is on the very next dashboard."""

from __future__ import annotations

import time

from tests.web.conftest import LEA
from tests.web.test_serve_access import logged_in, need_form

ROW = '<th scope="row">'


def week(page: str) -> str:
    return page.split("Échéance cette semaine", 1)[1].split("<h2", 1)[0]


def test_a_need_signalled_through_the_form_is_on_the_next_dashboard(serve):
    from olapcli.app.dashboard import BOARDS
    from olapcli.io.store import RACY

    settle = RACY / 1e9 + 0.2  # files this old: the board made from them is kept
    tutor = logged_in(serve, LEA, "tuteur")
    trainer = logged_in(serve, "*", "formateur", "fdupont")
    form = f"/alternants/{LEA}/besoins/nouveau"
    csrf = tutor.csrf(form)
    time.sleep(settle)
    before = trainer.get("/")
    assert trainer.get("/").text == before.text
    assert BOARDS.kept[serve.root].key is not None  # kept: the next GET reads memory
    rows = week(before.text).count(ROW)
    # a write seen by its files' stat (the board kept is made again)…
    done = tutor.post(form, need_form(csrf, detail="Signalé d'abord", due="2026-11-24"))
    assert done.status == 303
    time.sleep(settle)
    after = trainer.get("/")
    assert "Signalé d&#39;abord" in week(after.text) and week(after.text).count(ROW) == rows + 1
    assert BOARDS.kept[serve.root].key is not None
    # …and one GET at once, while its file is too recent to trust its stat
    done = tutor.post(form, need_form(csrf, detail="Signalé ensuite", due="2026-11-25"))
    assert done.status == 303
    after = trainer.get("/")
    assert "Signalé ensuite" in week(after.text) and week(after.text).count(ROW) == rows + 2
