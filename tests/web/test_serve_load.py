"""What keeps olap serve fast on a large cohort, with the same answers: the e-mails
composed by one thread of the server (not a process per write), the learners kept in
memory by file stat for the dashboard, one learner's file parsed alone for its page."""

from __future__ import annotations

import time

import pytest

from tests.conftest import TODAY
from tests.web.conftest import LEA, start
from tests.web.test_serve_access import logged_in, need_form


def test_a_web_need_gets_its_e_mail_from_the_server_s_own_thread(cohort_repo, monkeypatch):
    monkeypatch.delenv("OLAP_NOTIFY_INLINE", raising=False)
    from olapcli.io import workers

    started: list[str] = []
    monkeypatch.setattr(workers, "detached", lambda module, *a: started.append(module))
    for serve in start(cohort_repo):
        client = logged_in(serve, LEA, "tuteur")
        csrf = client.csrf(f"/alternants/{LEA}/besoins/nouveau")
        done = client.post(f"/alternants/{LEA}/besoins/nouveau", need_form(csrf))
        assert done.status == 303
        box = cohort_repo / "outbox" / "pending"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not list(box.glob("*.eml")):
            time.sleep(0.05)
        assert list(box.glob("*.eml")), sorted(p.name for p in box.iterdir())
        assert not list(box.glob("*.event"))
    assert started == []  # no detached process


def test_the_dashboard_s_memory_sees_each_write_and_each_error(cohort_repo):
    import datetime as dt

    from olapcli.app.dashboard import dashboard
    from olapcli.errors import ProblemsError
    from olapcli.io.load import valid_learners
    from olapcli.io.memo import Learners

    memo = Learners()
    today = dt.date.fromisoformat(TODAY)
    assert memo.valid(cohort_repo) == valid_learners(cohort_repo)
    assert memo.valid(cohort_repo) == valid_learners(cohort_repo)  # from memory
    path = cohort_repo / "learners" / f"{LEA}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Martin", "Martinez"), "utf-8")
    assert [m.last_name for _r, m in memo.valid(cohort_repo) if m.id == LEA] == ["Martinez"]
    path.write_text("id: [\n", encoding="utf-8")
    with pytest.raises(ProblemsError):
        memo.valid(cohort_repo)
    with pytest.raises(ProblemsError):
        dashboard(cohort_repo, today)
