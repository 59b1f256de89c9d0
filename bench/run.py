"""The speed figures of the issues, measured by hand: ``python -m bench.run``.

Writes docs/benchmarks.md: the machine (with its CPU count), the date, each figure
beside its target. Each figure is measured the way a user meets it: the ``olap``
command of a **non-editable** install (a wheel of this tree in a fresh venv, built
here), in a new process; validate's first run on a fresh ``git clone`` with an empty
cache. With ``--baseline REF``, the same figures are measured in the same run for
the olap of an earlier commit (installed the same way), so that « at least as fast
as before » is a comparison on one machine, not across machines.

Takes 10 to 20 minutes on 2 CPUs (twice that with a baseline).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.gen import generate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample-cohort"
#: the day every run takes as today (validate's answer depends on it)
TODAY = "2026-12-02"
#: after this, a file's stat is trusted again (olap's racy window is 2 s)
RACY = 2.1


def install(source: Path, venv: Path, editable: bool = False) -> Path:
    """A fresh venv with *source* installed from a wheel, not editable: its ``olap``.
    (*editable*: for a baseline from before olap's wheel held its templates.)"""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin/python"), "-m", "pip", "install", "-q"]
    if editable:
        subprocess.run([*pip, "-e", str(source)], check=True)
        return venv / "bin/olap"
    wheels = venv / "wheels"
    # built from a copy: pip builds in the tree it is given, and its build/ and
    # olap.egg-info left in the repository would then shadow the wheel in tests/test_wheel.py
    copy = venv / "source"
    shutil.copytree(
        source,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "build", "*.egg-info", "__pycache__", "site"
        ),
    )
    subprocess.run(
        [*pip[:-2], "wheel", "-q", "--no-deps", str(copy), "-w", str(wheels)], check=True
    )
    subprocess.run([*pip, *wheels.glob("*.whl")], check=True)
    return venv / "bin/olap"


def baseline_tree(ref: str, work: Path) -> Path:
    """The files of commit *ref* of this repository (a detached worktree)."""
    path = work / f"baseline-{ref}"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(path), ref], check=True
    )
    return path


def run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{proc.stderr.decode()}")
    return took


GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "b@x",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "b@x",
}


def git_repo(path: Path) -> None:
    env = {**os.environ, **GIT_ENV}
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "b"]):
        subprocess.run(cmd, cwd=path, env=env, check=True)


def settle(cohort: Path, limit: float = 10.0) -> None:
    """Wait (untimed) until the e-mail of the last event is written: ``need add`` returns
    at once and a detached process composes it; without the wait, back-to-back runs would
    time each other's e-mail composition."""
    deadline = time.monotonic() + limit
    while list((cohort / "outbox/pending").glob("*.event")) and time.monotonic() < deadline:
        time.sleep(0.02)


@dataclass
class Figure:
    """Several runs of one measure (in seconds, or in *unit*)."""

    times: list[float] = field(default_factory=list)
    unit: str = "s"

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def text(self) -> str:
        if len(self.times) == 1:
            return f"{self.times[0]:.3f} {self.unit}"
        return (
            f"median {self.median:.3f} {self.unit} (min {min(self.times):.3f}, "
            f"max {max(self.times):.3f}, {len(self.times)} runs)"
        )


def need_add(olap: Path, work: Path, env: dict[str, str], runs: int) -> Figure:
    """``olap need add`` with every flag on the sample cohort, the usual case: the learner
    file known valid (last written by olap or seen by ``olap validate``)."""
    cohort = work / "sample"
    shutil.rmtree(cohort, ignore_errors=True)
    shutil.copytree(SAMPLE, cohort)
    git_repo(cohort)
    target = cohort / "learners/lea-martin.yaml"
    original = target.read_bytes()
    args = [
        str(olap),
        "-C",
        str(cohort),
        "need",
        "add",
        "lea-martin",
        "--activity",
        "6.3",
        "--by",
        "entreprise,alternant",
        "--identified",
        "2026-12-01",
        "--due",
        "2026-12-04",
        "--detail",
        "Tarte au citron : dosage de la crème pour 40 parts",
        "--practice",
        "qualite",
        "--resource",
        "https://ressources.example/tarte",
        "--yes",
    ]
    run([str(olap), "-C", str(cohort), "validate"], env)  # as after a pull
    figure = Figure()
    for _ in range(runs):
        figure.times.append(run(args, env))
        settle(cohort)
        target.write_bytes(original)
    return figure


def merge_ten(olap: Path, work: Path, env: dict[str, str]) -> Figure:
    """Two trainers' clones each add a need to the same ten learners; the time of the
    ``git merge`` that meets them (ten learner files through olap's merge driver)."""
    git_env = {**env, **GIT_ENV}
    source = generate(work / "merge-src", 30)
    git_repo(source)
    origin = work / "merge-origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(source), str(origin)], check=True)
    clones = []
    for name in ("anne", "karim"):
        path = work / f"merge-{name}"
        subprocess.run(["git", "clone", "-q", str(origin), str(path)], check=True)
        subprocess.run(["git", "config", "pull.rebase", "false"], cwd=path, check=True)
        clones.append(path)
    anne, karim = clones
    setup = [olap, "-C", anne, "setup"]
    subprocess.run(setup, env=git_env, check=True, capture_output=True)
    subprocess.run(["git", "add", ".gitattributes"], cwd=anne, check=True)
    subprocess.run(["git", "commit", "-qm", "setup"], cwd=anne, env=git_env, check=True)
    subprocess.run(["git", "push", "-q"], cwd=anne, check=True)
    subprocess.run(["git", "pull", "-q"], cwd=karim, env=git_env, check=True)
    setup[2] = karim
    subprocess.run(setup, env=git_env, check=True, capture_output=True)
    for clone, detail in ((anne, "Besoin noté par Anne"), (karim, "Besoin noté par Karim")):
        for i in range(10):
            subprocess.run(
                [
                    *(olap, "-C", clone, "need", "add", f"alternant-{i:05d}", "--activity", "6.3"),
                    *("--by", "entreprise", "--identified", "2026-11-20", "--due", "2026-11-25"),
                    *("--detail", detail, "--commit", "--yes"),
                ],
                env=git_env,
                check=True,
                capture_output=True,
            )
    subprocess.run(["git", "push", "-q"], cwd=anne, check=True)
    subprocess.run(["git", "fetch", "-q"], cwd=karim, check=True)
    figure = Figure()
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            ["git", "merge", "-q", "--no-edit", "@{u}"], cwd=karim, env=git_env, check=True
        )
        figure.times.append(time.perf_counter() - start)
        for i in range(10):
            text = (karim / f"learners/alternant-{i:05d}.yaml").read_text(encoding="utf-8")
            assert "Anne" in text and "Karim" in text and "<<<<<<<" not in text
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=karim, check=True)
    return figure


def pyyaml_alone(cohort: Path) -> float:
    """PyYAML's C loader parsing every data file of *cohort* in one process (the reference)."""
    code = (
        "import sys, time, yaml, pathlib\n"
        "root = pathlib.Path(sys.argv[1])\n"
        "files = sorted(p for p in root.rglob('*.yaml') if '.git' not in p.parts)\n"
        "t = time.perf_counter()\n"
        "for f in files:\n"
        "    yaml.load(f.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(cohort)], capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def report_cold(olap: Path, source: Path, work: Path, env: dict[str, str]) -> Figure:
    """``olap report`` as the first command on a fresh clone (empty cache): it reads and
    checks every learner file as validate does, then writes the report."""
    clone = work / "clone-report"
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(source), str(clone)], check=True)
    cache = work / "cache-report"
    shutil.rmtree(cache, ignore_errors=True)
    args = [str(olap), "-C", str(clone), "report", "--out", str(work / "rapport-cold.html")]
    took = run(args, {**env, "OLAP_CACHE_DIR": str(cache)})
    shutil.rmtree(clone, ignore_errors=True)
    return Figure([took])


def big_cohort(olap: Path, source: Path, work: Path, env: dict[str, str], runs: int) -> dict:
    """validate, metrics, report and the observatory export on a fresh clone of the big
    cohort *source*."""
    clone = work / "clone"
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", str(source), str(clone)], check=True)
    cache = work / "cache-big"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**env, "OLAP_CACHE_DIR": str(cache)}
    validate = [str(olap), "-C", str(clone), "validate"]
    found: dict[str, Figure] = {}

    def measure(name: str, args: list[str], times: int = 1, wait: float = 0, **extra: str):
        figure = found.setdefault(name, Figure())
        for _ in range(times):
            time.sleep(wait)
            figure.times.append(run(args, {**env, **extra}))

    measure("cold", validate)
    # a user's next command comes later: out of the racy window, stats are trusted
    measure("warm", validate, runs, wait=RACY)
    learners = sorted((clone / "learners").glob("*.yaml"))
    for i in range(runs):  # one learner file edited, each time another one
        _edit(learners[7 + i], 'detail: "', 'detail: "Modifié : ')
        measure("edit", validate)
    target = learners[3]
    for _ in range(runs):  # the same bytes written back: new mtime and ctime
        target.write_bytes(target.read_bytes())
        measure("same bytes", validate)
    for i in range(runs):  # another day: the date-dependent checks only
        measure("new day", validate, **extra_day(i))
    run(validate, env)  # back to today (a new day is measured above, not twice)
    time.sleep(RACY)
    subprocess.run(["git", "checkout", "-q", "."], cwd=clone, check=True)
    measure("checkout", validate)  # back to the committed files
    run(validate, env)
    measure("metrics", [str(olap), "-C", str(clone), "metrics"], runs, wait=RACY)
    report = [str(olap), "-C", str(clone), "report", "--out", str(work / "rapport.html")]
    measure("report", report, runs, wait=RACY)
    found["report size"] = Figure([(work / "rapport.html").stat().st_size / 1e6])
    export = [str(olap), "-C", str(clone), "export", "observatoire"]
    jsonl = work / "observatoire.jsonl"
    measure("export json", [*export, "--out", str(jsonl)], runs, wait=RACY)
    measure("export csv", [*export, "-f", "csv", "--out", str(work / "obs.csv")], runs, wait=RACY)
    from_file = [str(olap), "report", str(jsonl), "--out", str(work / "rapport-obs.html")]
    measure("report export", from_file, runs, wait=RACY)
    return found


def extra_day(i: int) -> dict[str, str]:
    day = dt.date.fromisoformat(TODAY) + dt.timedelta(days=i + 1)
    return {"OLAP_TODAY": day.isoformat()}


def render(olap: Path, source: Path, work: Path, env: dict[str, str]) -> dict:
    """``olap render`` of 1,000 learners: cold, then after one learner changed."""
    cohort = work / "render-cohort"
    shutil.rmtree(cohort, ignore_errors=True)
    shutil.copytree(source, cohort)
    env = {**env, "OLAP_CACHE_DIR": str(work / "cache-render")}
    shutil.rmtree(env["OLAP_CACHE_DIR"], ignore_errors=True)
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    args = [str(olap), "-C", str(cohort), "render", "--out", str(site)]
    cold = run(args, env)
    _edit(cohort / "learners/alternant-00007.yaml", "Tarte au citron", "Tarte citron")
    one = run(args, env)
    return {
        "render cold": Figure([cold]),
        "render one": Figure([one]),
        "page kb": Figure([page_weight(site) / 1024], "KB"),
    }


#: what a page may load: a style sheet, a script (``src``), an ``@import`` or ``url()``
LOADS = re.compile(
    r"<link\b[^>]*\brel=\"?stylesheet[^>]*\bhref=\"?([^\" >]+)"
    r"|<script\b[^>]*\bsrc=\"?([^\" >]+)"
    r"|@import\s+(?:url\()?[\"']?([^\"')\s;]+)"
    r"|url\(\s*[\"']?([^\"')\s]+)",
    re.I,
)


def page_weight(site: Path) -> int:
    """The bytes a browser gets for the heaviest learner page of *site* (its grid, not its
    resources page): the HTML with its inline CSS and JS, plus any style sheet or script
    it loads from the site. A page that loads something from elsewhere is refused: its
    weight could not be measured here."""
    pages = [
        p for p in (site / "alternants").glob("*.html") if not p.name.endswith("-ressources.html")
    ]
    heaviest = max(pages, key=lambda p: p.stat().st_size)
    size = heaviest.stat().st_size
    for match in LOADS.finditer(heaviest.read_text(encoding="utf-8")):
        ref = next(g for g in match.groups() if g)
        if ref.startswith("data:"):
            continue
        if re.match(r"[a-z]+:|//", ref, re.I):
            raise SystemExit(f"{heaviest} loads {ref}: its weight cannot be measured here")
        size += (heaviest.parent / ref.split("#")[0].split("?")[0]).stat().st_size
    return size


def machine() -> tuple[str, int]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    desc = f"{platform.system()} {platform.machine()}, {cpu}, Python {platform.python_version()}"
    return desc, cpus or 1


def measure_all(olap: Path, work: Path, env: dict[str, str], args, cohorts) -> dict:
    big, thousand = cohorts
    out: dict[str, Figure] = {}
    out["floor"] = Figure([run([str(olap), "--version"], env) for _ in range(7)])
    out["need add"] = need_add(olap, work, env, args.runs)
    print(f"  need add: {out['need add'].text()}", flush=True)
    out["merge"] = merge_ten(olap, work, env)
    out.update(render(olap, thousand, work, env))
    print(
        f"  render: {out['render cold'].text()}, {out['render one'].text()}, "
        f"heaviest learner page {out['page kb'].text()}",
        flush=True,
    )
    out["report cold"] = report_cold(olap, big, work, env)
    out.update(big_cohort(olap, big, work, env, args.big_runs))
    for name, figure in out.items():
        if name not in ("report size", "page kb"):
            print(f"  {name}: {figure.text()}", flush=True)
    return out


#: (key, what, target in s — in KB for a page — or as a ratio to PyYAML)
ROWS = [
    ("floor", "`olap --version`: Python and the command line starting, nothing else", None),
    ("need add", "`olap need add` (all flags) on the sample cohort", 0.15),
    ("cold", "`olap validate`, {n} learners, first run on a fresh clone", None),
    ("warm", "`olap validate`, {n} learners, again, nothing changed", 0.3),
    ("edit", "`olap validate`, {n} learners, after one learner file was edited", 0.5),
    ("same bytes", "`olap validate`, {n} learners, the same bytes written back to a file", 0.5),
    ("new day", "`olap validate`, {n} learners, nothing changed but the day", 0.5),
    ("checkout", "`olap validate`, {n} learners, after `git checkout .` undid the edits", 0.5),
    ("metrics", "`olap metrics`, {n} learners, after `olap validate`", 2.0),
    ("report", "`olap report`, {n} learners, after `olap validate`", 3.0),
    ("report cold", "`olap report`, {n} learners, first command on a fresh clone", None),
    ("export json", "`olap export observatoire` (JSON Lines), {n} learners, after validate", None),
    ("export csv", "`olap export observatoire -f csv`, {n} learners, after validate", None),
    ("report export", "`olap report` of that JSON Lines export ({n} rows), no cohort", None),
    ("render cold", "`olap render`, 1,000 learners, cold (empty output folder and caches)", 20.0),
    ("render one", "`olap render`, 1,000 learners, again after one learner changed", 2.0),
    (
        "page kb",
        "the heaviest learner page of that site (HTML with its inline CSS and JS; the pages "
        "load nothing else)",
        200,
    ),
    ("merge", "`git merge` of two clones that each added a need to the same 10 learners", 3.0),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="learners of the big cohort")
    parser.add_argument("--runs", type=int, default=15, help="runs of need add")
    parser.add_argument("--big-runs", type=int, default=5, help="runs of each big measure")
    parser.add_argument("--baseline", help="a commit to measure the same way, for comparison")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="olap-bench-"))
    # As users run it: Python caches compiled modules (some sandboxes turn that off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(OLAP_NO_PROMPT="1", OLAP_CACHE_DIR=str(work / "cache"), OLAP_TODAY=TODAY)
    env.pop("CI", None)
    olaps = {"this": install(ROOT, work / "venv")}
    if args.baseline:
        tree = baseline_tree(args.baseline, work)
        olaps["baseline"] = install(tree, work / "venv-baseline", editable=True)
    big = generate(work / "big", args.size)
    git_repo(big)
    thousand = generate(work / "c1000", 1000)
    reference = pyyaml_alone(big)
    print(f"PyYAML alone: {reference:.2f}s", flush=True)
    results = {}
    for name, olap in olaps.items():
        print(f"{name}: {olap}", flush=True)
        run([str(olap), "--version"], env)  # compiles its modules once
        results[name] = measure_all(olap, work / name, env, args, (big, thousand))
    write(args, results, reference, big)
    if args.baseline:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)])
    shutil.rmtree(work, ignore_errors=True)


def write(args, results: dict, reference: float, big: Path) -> None:
    desc, cpus = machine()
    n = f"{args.size:,}"
    size_kb = sum(p.stat().st_size for p in (big / "learners").glob("*.yaml")) / args.size / 1024
    this, before = results["this"], results.get("baseline")
    head = ["what", "this version", "target", "CPUs", ""]
    if before:
        head[2:2] = [f"baseline ({args.baseline}), same run"]
    lines = [
        "# Benchmarks",
        "",
        "Measured by `python -m bench.run"
        + (f" --baseline {args.baseline}`" if before else "`")
        + " (by hand, not in CI). Every figure is the wall time of the `olap` command of a",
        "non-editable install (a wheel in a fresh venv), in a new process, as a user meets it;",
        "each is measured on the machine below, whose CPU count is given beside it.",
        "",
        f"- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- Machine: {desc}, **{cpus} CPUs**",
        f"- Synthetic cohorts from `bench/gen.py`: learner files of {size_kb:.1f} KB on average,",
        "  the sample cohort's référentiel; `OLAP_TODAY` fixed so every run sees the same day.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for key, what, target in ROWS:
        figure = this[key]
        if key == "floor":
            cell, goal, ok = figure.text(), "(no command is faster)", True
        elif key == "cold":
            ratio = figure.median / reference
            cell = (
                f"{figure.text()}; PyYAML's C loader alone on the same files, one process: "
                f"{reference:.2f} s → **ratio {ratio:.2f}**"
            )
            goal, ok = "≤ 1.2× PyYAML", ratio <= 1.2
        elif key == "report cold":
            ratio = figure.median / this["cold"].median
            cell = f"{figure.text()} → **{ratio:.2f}× validate's first run**"
            goal, ok = "≤ 1.5× validate cold", ratio <= 1.5
        elif key == "page kb":
            cell = f"{figure.times[0]:.1f} KB"
            goal, ok = f"≤ {target} KB", figure.times[0] <= target
        elif target is None:
            cell, goal, ok = figure.text(), "(no target)", True
        else:
            cell, goal, ok = figure.text(), f"≤ {target} s", figure.median <= target
        mark = "" if target is None and key not in ("cold", "report cold") else "✅" if ok else "❌"
        row = [what.format(n=n), cell, goal, str(cpus), mark]
        if before:
            row[2:2] = [before[key].text() if key in before else "—"]
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "## Notes",
        "",
        *(
            [
                f"- The baseline ({args.baseline}) is installed editable, as its README said:",
                "  its wheel held no template (`render` and `report` failed when installed so).",
            ]
            if before
            else []
        ),
        "- Medians of several runs: this machine's timings vary by ±20 % from one run to the",
        "  next. Python itself and olap's command line (typer, click) take "
        f"{this['floor'].median:.3f} s here (`olap --version`): no command can be faster.",
        "- « Again, nothing changed » is measured a few seconds after the previous run, as a",
        "  user's next command comes: a file modified less than 2 s before a run is not trusted",
        "  by its stat alone (git's racy rule), it is read again.",
        "- `need add` is measured in the usual case: the learner file was last written by olap",
        "  or seen by `olap validate`. It notes the e-mail event and returns; a detached process",
        "  writes the e-mail, and the benchmark waits for it, untimed, before the next run.",
        f"- `validate` reads learner files in {cpus} worker processes from 400 files on; PyYAML's",
        "  own loader is the single-process reference the issue names.",
        "- `metrics` and `report` read the learners' briefs from the cache `validate` fills;",
        "  their statistics are kept under the content of the table they come from; `report`",
        "  writes half of the annex in a forked child. The report is "
        f"{this['report size'].times[0]:.1f} MB here.",
    ]
    text = "\n".join(lines) + "\n"
    # sections measured by other scripts (``## … measured by hand``) are kept as they are
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    kept = re.search(r"^## .*measured by hand.*$", old, re.M)
    if kept:
        text += "\n" + old[kept.start() :]
    args.out.write_text(text, encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
