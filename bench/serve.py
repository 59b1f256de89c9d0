"""``olap serve`` under load, measured by hand: ``python -m bench.serve [--size N]``.

On a generated cohort of N learners (10,000 by default; a Git repository), with links
granted by the real use-case (``olap access grant --commit``) and ``OLAP_SECRET_DIR`` in
a temporary folder, starts the real server (``olap serve``: waitress on 127.0.0.1, in
its own process), opens the links, then measures:

- a learner's page, warm: median and p95 over 200 requests;
- the trainer's dashboard, warm: median and p95 over 20 requests; then just after a
  learner file changed (10 times: the board is made again);
- 20 clients at once, each the company tutor of one learner posting 25 needs through
  the need form (with its CSRF token): 500 posts; then checks that the 500 commits are
  there (``git rev-list --count``), every need is in its learner's file, ``olap
  validate`` exits 0 and no answer was a 5xx. ``--no-posts`` skips them: the section
  then keeps the posts' figures of the run that measured them, said as such.

Writes the figures in docs/benchmarks.md, in the section « olap serve under load,
measured by hand » (bench/run.py keeps it when it rewrites the file), with the CPU
count and the load average seen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from bench.gen import generate
from bench.run import GIT_ENV, git_repo, machine

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
TITLE = "## olap serve under load, measured by hand"
TODAY = "2026-12-02"
CLIENTS = 20
POSTS = 25


@dataclass
class Client:
    """One person's browser: the session cookie kept, redirects not followed."""

    port: int
    #: the client's own loopback address: 20 people, not one address opening 21 links
    source: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        import http.client

        headers = {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=120, source_address=(self.source, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            for key, value in resp.getheaders():
                if key.lower() == "set-cookie":
                    name, _eq, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return resp.status, text
        finally:
            conn.close()

    def timed(self, method: str, path: str, form: dict[str, str] | None = None):
        start = time.perf_counter()
        status, text = self.request(method, path, form)
        return time.perf_counter() - start, status, text

    def csrf(self, path: str) -> str:
        status, text = self.request("GET", path)
        found = re.search(r'name="csrf" value="([^"]+)"', text)
        if not found:
            raise SystemExit(f"no CSRF token on {path} ({status})")
        return found.group(1)


def grant(root: Path, learner: str, role: str, person: str | None = None) -> str:
    """A link's token, granted and committed by the use-case of ``olap access grant``."""
    from olapcli.app.access import grant_access

    done = grant_access(
        root, learner, role, dt.date.fromisoformat(TODAY), person=person, commit=True
    )
    return done.link.rsplit("/a/", 1)[1]


def stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)],
        "max": ordered[-1],
    }


def start_server(root: Path, env: dict[str, str]) -> tuple[subprocess.Popen, int, str]:
    olap = Path(sys.executable).with_name("olap")
    proc = subprocess.Popen(
        [str(olap), "-C", str(root), "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    port = None
    for line in proc.stdout:
        found = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if found:
            port = int(found.group(1))
        if port is not None and " olap.warm " in line:  # the learners are in memory
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # drain the log
            return proc, port, line.split(" olap.warm ", 1)[1].strip()
    raise SystemExit("olap serve did not start")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(size: int, work: Path, with_posts: bool = True) -> dict:
    env = {
        **os.environ,
        **GIT_ENV,
        "OLAP_SECRET_DIR": str(work / "secrets"),
        "OLAP_TODAY": TODAY,
    }
    os.environ.update(env)
    print(f"generating {size} learners…", flush=True)
    root = generate(work / "cohort", size)
    git_repo(root)
    learners = [f"alternant-{i:05d}" for i in range(1, CLIENTS + 1)]
    tutors = [grant(root, lid, "tuteur") for lid in learners]
    trainer = grant(root, "*", "formateur", person="fdupont")
    before = int(git(root, "rev-list", "--count", "HEAD"))
    proc, port, warm = start_server(root, env)
    results: dict = {"size": size, "load_before": loadavg(), "warm": warm}
    try:
        boss = Client(port)
        boss.request("GET", f"/a/{trainer}")
        page = f"/alternants/{learners[0]}"
        for _ in range(5):  # warm
            boss.request("GET", page)
            boss.request("GET", "/")
        print("learner page…", flush=True)
        results["learner"] = stats([boss.timed("GET", page)[0] for _ in range(200)])
        print("dashboard…", flush=True)
        results["dashboard"] = stats([boss.timed("GET", "/")[0] for _ in range(20)])
        print("dashboard after a write…", flush=True)
        results["remade"] = stats([remade(boss, root, k) for k in range(10)])
        if not with_posts:
            results["load_after"] = loadavg()
            return results
        print(f"{CLIENTS} clients × {POSTS} posts…", flush=True)
        results["load_posts"] = loadavg()
        results.update(posts(port, learners, tutors))
        results["load_after"] = loadavg()
        results["mails"] = composed(root)
    finally:
        proc.terminate()
        proc.wait(30)
    results["commits"] = int(git(root, "rev-list", "--count", "HEAD")) - before
    results["missing"] = missing(root, learners)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("olap")), "-C", str(root), "validate"],
        env=env,
        capture_output=True,
    )
    results["validate"] = done.returncode
    return results


def remade(client: Client, root: Path, k: int) -> float:
    """The dashboard asked for just after a learner file changed (a comment appended, as
    an editor or a ``git pull`` would change it): the board is made again."""
    path = root / "learners" / f"alternant-{CLIENTS + 1 + k:05d}.yaml"
    with path.open("a", encoding="utf-8") as out:
        out.write(f"# bench.serve {k}\n")
    return client.timed("GET", "/")[0]


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout.strip()


def detail(k: int, j: int) -> str:
    return f"Besoin de charge {k}-{j} : service du midi en volume."


def posts(port: int, learners: list[str], tutors: list[str]) -> dict:
    times: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    due = (dt.date.fromisoformat(TODAY) + dt.timedelta(days=3)).isoformat()
    ready = threading.Barrier(len(learners))

    def one(k: int) -> None:
        client = Client(port, source=f"127.0.1.{k + 1}")
        client.request("GET", f"/a/{tutors[k]}")
        form = f"/alternants/{learners[k]}/besoins/nouveau"
        try:
            csrf = client.csrf(form)
        except SystemExit:
            ready.abort()
            raise
        ready.wait(600)
        for j in range(POSTS):
            values = {
                "csrf": csrf,
                "activity": "6.3",
                "identified": TODAY,
                "due": due,
                "detail": detail(k, j),
                "practice": "qualite",
                "confirmed": "1",
            }
            took, status, _text = client.timed("POST", form, values)
            with lock:
                times.append(took)
                statuses.append(status)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(len(learners))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {
        "post": stats(times),
        "wall": wall,
        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
    }


def composed(root: Path, limit: float = 300.0) -> tuple[int, float | None]:
    """(events noted, seconds after the posts until none waits for its e-mail), None
    past *limit*: the server composes the outbox once the writes pause."""
    pending = root / "outbox" / "pending"
    names = {p.stem.split("+")[0] for p in pending.glob("need-*") if p.suffix in (".event", ".eml")}
    noted = len(names)
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if not any(pending.glob("*.event")):
            return noted, time.perf_counter() - start
        time.sleep(0.2)
    return noted, None


def missing(root: Path, learners: list[str]) -> int:
    gone = 0
    for k, lid in enumerate(learners):
        text = (root / "learners" / f"{lid}.yaml").read_text(encoding="utf-8")
        gone += sum(detail(k, j) not in text for j in range(POSTS))
    return gone


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms"


#: how a section says its posts' figures come from an earlier run (``--no-posts``)
KEPT_NOTE = "Posts not measured in this run (`--no-posts`): their row and the line after the table are those of the run of "
POSTS_ROW = "| a need posted through the form"
AFTER = "After the "
#: a paragraph written by hand under the figures, kept when the section is written again
BY_HAND = "Read (by hand)"


def section(r: dict, old: str = "") -> str:
    """The section of docs/benchmarks.md for the results *r*; *old*, the section written
    before, gives the posts' figures when this run skipped them, and the paragraph read
    by hand."""
    name, cpus = machine()
    today = dt.date.today().isoformat()
    load = (
        f"{r['load_before']} before, {r['load_posts']} when the posts began, {r['load_after']} after"
        if "post" in r
        else f"{r['load_before']} before, {r['load_after']} after"
    )
    lines = [
        TITLE,
        "",
        f"`python -m bench.serve`, {today}, on {name} "
        f"(`nproc` = {cpus}; the machine was shared with other jobs: load average "
        f"{load}). A generated cohort of {r['size']:,} learners in a Git "
        "repository; `olap serve` (waitress, 8 threads) in its own process on 127.0.0.1, "
        f"measured once it had loaded the learners (its log: « {r.get('warm', '?')} »); "
        "one HTTP connection per request, as a browser without keep-alive.",
        "",
        "| what | median | p95 | target | CPUs |",
        "|---|---|---|---|---|",
        f"| a learner's page, warm ({r['learner']['n']} requests) | "
        f"{ms(r['learner']['median'])} | {ms(r['learner']['p95'])} | p95 ≤ 100 ms | {cpus} |",
        f"| the trainer's dashboard, warm ({r['dashboard']['n']} requests) | "
        f"{ms(r['dashboard']['median'])} | {ms(r['dashboard']['p95'])} | ≤ 300 ms | {cpus} |",
    ]
    if "remade" in r:
        lines.append(
            f"| the dashboard just after a learner file changed, made again "
            f"({r['remade']['n']} requests) | {ms(r['remade']['median'])} | "
            f"{ms(r['remade']['p95'])} | — | {cpus} |"
        )
    if "post" in r:
        posts_total = CLIENTS * POSTS
        five = sum(n for s, n in r["statuses"].items() if s >= 500)
        lines += [
            f"| a need posted through the form, {CLIENTS} clients at once × {POSTS} posts "
            f"({r['post']['n']} posts, {r['wall']:.1f} s in all) | {ms(r['post']['median'])} | "
            f"{ms(r['post']['p95'])} | p95 ≤ 1 s | {cpus} |",
            "",
            f"After the {posts_total} posts: {r['commits']} new commits "
            f"(`git rev-list --count`), {posts_total - r['missing']} of {posts_total} needs "
            f"in the learners' files, `olap validate` exit {r['validate']}, "
            f"{five} answers 5xx (statuses: "
            + ", ".join(f"{s} × {n}" for s, n in r["statuses"].items())
            + "). "
            + (
                f"The server composed the e-mails of the {r['mails'][0]} needs once the "
                f"posts paused: none left to compose {r['mails'][1]:.1f} s after the last one."
                if r.get("mails") and r["mails"][1] is not None
                else "The e-mails were not all composed within 5 minutes of the last post."
            ),
        ]
    else:
        lines += kept_posts(old)
    lines.append("")
    lines += [
        m.group(0).strip() + "\n"
        for m in re.finditer(rf"^{re.escape(BY_HAND)}.*?(?=\n\n|\Z)", old, re.M | re.S)
    ]
    return "\n".join(lines)


def kept_posts(old: str) -> list[str]:
    """The posts' row and sentence of the section *old*, with the day they were
    measured (a row kept again keeps its first day); said as not measured when *old*
    has none."""
    row = next((x for x in old.splitlines() if x.startswith(POSTS_ROW)), None)
    after = next((x for x in old.splitlines() if x.startswith(AFTER)), None)
    if row is None:
        return ["", "Posts not measured in this run (`--no-posts`), nor in an earlier one."]
    found = re.search(re.escape(KEPT_NOTE) + r"(\S+?)\.", old) or re.search(
        r"`python -m bench\.serve`, (\d{4}-\d{2}-\d{2})", old
    )
    day = found.group(1) if found else "an earlier day"
    lines = [row, ""]
    if after:
        lines += [after, ""]
    return [*lines, f"{KEPT_NOTE}{day}."]


def current() -> str:
    """The section « olap serve under load » of docs/benchmarks.md as it is now."""
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    found = re.search(rf"^{re.escape(TITLE)}$.*?(?=^## |\Z)", old, re.M | re.S)
    return found.group(0) if found else ""


def write(text: str) -> None:
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    found = re.search(rf"^{re.escape(TITLE)}$.*?(?=^## |\Z)", old, re.M | re.S)
    if found:
        new = old[: found.start()] + text + "\n" + old[found.end() :]
    else:
        new = old.rstrip("\n") + "\n\n" + text
    DOC.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs")
    parser.add_argument(
        "--no-posts",
        action="store_true",
        help="skip the 500 posts (the section keeps the posts' figures of the last run that "
        "measured them, said as such)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="olap-bench-serve-"))
    try:
        results = measure(args.size, work, with_posts=not args.no_posts)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = section(results, current())
    print(text)
    if not args.no_write:
        write(text)


if __name__ == "__main__":
    main()
