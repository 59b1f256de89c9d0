"""The speed figures of the issues, measured by hand: ``python -m bench.run``.

Writes docs/benchmarks.md (machine, date, figures, targets). Each figure is
measured the way a user meets it: the installed ``olap`` command in a new
process; validate's cold run on a fresh ``git clone`` with an empty cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.gen import generate

ROOT = Path(__file__).resolve().parents[1]
OLAP = shutil.which("olap") or "olap"


def run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr}")
    return took


def git_repo(path: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "b@x",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "b@x",
    }
    for cmd in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "bench"],
    ):
        subprocess.run(cmd, cwd=path, env=env, check=True)


def need_add(cohort: Path, env: dict[str, str], runs: int) -> dict[str, float]:
    """Median/min/max of ``olap need add`` with every flag, the learner file ~5 KB each time."""
    target = cohort / "learners/alternant-00004.yaml"
    original = target.read_bytes()
    args = [
        OLAP,
        "-C",
        str(cohort),
        "need",
        "add",
        "alternant-00004",
        "--activity",
        "6.3",
        "--by",
        "entreprise,alternant",
        "--identified",
        "2026-11-20",
        "--due",
        "2026-11-25",
        "--detail",
        "Tarte au citron : dosage de la crème pour 40 parts",
        "--practice",
        "qualite",
        "--resource",
        "https://ressources.example/tarte",
        "--company",
        "Le Bistrot",
    ]
    # first write to a file olap has never validated: pays the full model validation
    first = run(args, env)
    settle(cohort)
    target.write_bytes(original)
    run([OLAP, "-C", str(cohort), "validate"], env)  # as after a pull: marks the files valid
    times = []
    for _ in range(runs):
        times.append(run(args, env))
        settle(cohort)
        target.write_bytes(original)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "first": first,
        "size": len(original),
    }


def merge_ten(work: Path, env: dict[str, str]) -> float:
    """Two trainers' clones each add a need to the same ten learners; the time of the
    ``git pull`` that merges them (ten learner files through olap's merge driver)."""
    git_env = {
        **env,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "b@x",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "b@x",
    }
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
    setup = [OLAP, "-C", str(anne), "setup"]
    subprocess.run(setup, env=git_env, check=True, capture_output=True)
    subprocess.run(["git", "add", ".gitattributes"], cwd=anne, check=True)
    subprocess.run(["git", "commit", "-qm", "setup"], cwd=anne, env=git_env, check=True)
    subprocess.run(["git", "push", "-q"], cwd=anne, check=True)
    subprocess.run(["git", "pull", "-q"], cwd=karim, env=git_env, check=True)
    setup[2] = str(karim)
    subprocess.run(setup, env=git_env, check=True, capture_output=True)
    for clone, detail in ((anne, "Besoin noté par Anne"), (karim, "Besoin noté par Karim")):
        for i in range(10):
            subprocess.run(
                [
                    OLAP,
                    "-C",
                    str(clone),
                    "need",
                    "add",
                    f"alternant-{i:05d}",
                    "--activity",
                    "6.3",
                    "--by",
                    "entreprise",
                    "--identified",
                    "2026-11-20",
                    "--due",
                    "2026-11-25",
                    "--detail",
                    detail,
                    "--commit",
                ],
                env=git_env,
                check=True,
                capture_output=True,
            )
    subprocess.run(["git", "push", "-q"], cwd=anne, check=True)
    subprocess.run(["git", "fetch", "-q"], cwd=karim, check=True)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            ["git", "merge", "-q", "--no-edit", "@{u}"], cwd=karim, env=git_env, check=True
        )
        times.append(time.perf_counter() - start)
        for i in range(10):
            text = (karim / f"learners/alternant-{i:05d}.yaml").read_text(encoding="utf-8")
            assert "Anne" in text and "Karim" in text and "<<<<<<<" not in text
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=karim, check=True)
    return statistics.median(times)


def settle(cohort: Path, limit: float = 10.0) -> None:
    """Wait (untimed) until the e-mail of the last event is written: ``need add`` returns
    at once and a detached process composes it, as a trainer meets it; without the wait,
    25 back-to-back runs would time each other's e-mail composition."""
    deadline = time.monotonic() + limit
    while list((cohort / "outbox/pending").glob("*.event")) and time.monotonic() < deadline:
        time.sleep(0.02)


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


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--validate-size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="olap-bench-"))
    # As users run it: Python caches compiled modules (some sandboxes turn that off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(OLAP_NO_PROMPT="1", OLAP_CACHE_DIR=str(work / "cache"))
    run([OLAP, "--version"], env)  # compile olap's modules once
    rows = []
    for size, target in ((30, 0.3), (5_000, 0.4)):
        cohort = generate(work / f"c{size}", size)
        r = need_add(cohort, env, args.runs)
        rows.append((f"`olap need add` (all flags), {size} learners", r, target))
        print(f"need add {size}: {r}")

    merge = merge_ten(work, env)
    print(f"merge of ten learner files: {merge:.2f}s")

    # olap render, 1,000 learners: cold, then after one learner changed
    site_cohort = generate(work / "c1000", 1000)
    render_env = {**env, "OLAP_CACHE_DIR": str(work / "cache-render")}
    site = work / "site"
    render_cold = run([OLAP, "-C", str(site_cohort), "render", "--out", str(site)], render_env)
    target = site_cohort / "learners/alternant-00007.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("Tarte au citron", "Tarte citron"),
        encoding="utf-8",
    )
    render_one = run([OLAP, "-C", str(site_cohort), "render", "--out", str(site)], render_env)
    print(f"render 1000: cold {render_cold:.2f}s, one learner changed {render_one:.2f}s")

    n = args.validate_size
    source = generate(work / f"c{n}", n)
    git_repo(source)
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", str(source), str(clone)], check=True)
    cold_env = {**env, "OLAP_CACHE_DIR": str(work / "cache-cold")}
    reference = pyyaml_alone(clone)
    cold = run([OLAP, "-C", str(clone), "validate"], cold_env)
    warm = min(run([OLAP, "-C", str(clone), "validate"], cold_env) for _ in range(5))
    print(f"validate {n}: cold {cold:.2f}s, PyYAML alone {reference:.2f}s, warm {warm:.3f}s")

    # olap report over the same 10,000 learners: cold (empty caches); then, with another
    # empty cache, as a centre meets it: olap validate (after a pull, in CI), then report
    report_env = {**env, "OLAP_CACHE_DIR": str(work / "cache-report")}
    report_out = work / "rapport.html"
    report_args = [OLAP, "-C", str(clone), "report", "--out", str(report_out)]
    report_cold = run(report_args, report_env)
    after_env = {**env, "OLAP_CACHE_DIR": str(work / "cache-after-validate")}
    run([OLAP, "-C", str(clone), "validate"], after_env)
    report_after = [run(report_args, after_env) for _ in range(5)]
    report_warm = statistics.median(report_after)
    print(f"report {n}: cold {report_cold:.2f}s, after validate {report_after}")

    size_kb = sum(p.stat().st_size for p in (clone / "learners").glob("*.yaml")) / n / 1024
    lines = [
        "# Benchmarks",
        "",
        "Measured by `python -m bench.run` (run by hand, not in CI), on the machine below. Every",
        "figure is the wall time of the installed `olap` command in a new process, as a user meets it.",
        "",
        f"- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- Machine: {machine()}",
        f"- Synthetic cohorts from `bench/gen.py`: learner files of {size_kb:.1f} KB on average,",
        "  the sample cohort's référentiel (31 sub-activities).",
        "",
        "| what | measured | target | |",
        "|---|---|---|---|",
    ]
    for label, r, target in rows:
        ok = "✅" if r["median"] <= target else "❌"
        lines.append(
            f"| {label} | median {r['median']:.3f} s (min {r['min']:.3f}, max {r['max']:.3f}, "
            f"{args.runs} runs) | ≤ {target} s | {ok} |"
        )
    ratio = cold / reference
    lines += [
        f"| `olap validate`, {n:,} learners, first run on a fresh clone | {cold:.2f} s; PyYAML's C "
        f"loader alone on the same files, one process: {reference:.2f} s → **ratio {ratio:.2f}** "
        f"| ≤ 1.5× | {'✅' if ratio <= 1.5 else '❌'} |",
        f"| `olap validate`, {n:,} learners, second run, nothing changed | {warm:.3f} s (best of 5) "
        f"| ≤ 0.5 s | {'✅' if warm <= 0.5 else '❌'} |",
        f"| `git merge` of two clones that each added a need to the same 10 learners (olap's "
        f"merge driver, one process per file) | median {merge:.2f} s (5 runs) | ≤ 3 s "
        f"| {'✅' if merge <= 3 else '❌'} |",
        f"| `olap render`, 1,000 learners, cold (empty output folder and caches) | {render_cold:.2f} s "
        f"| ≤ 20 s | {'✅' if render_cold <= 20 else '❌'} |",
        f"| `olap render`, 1,000 learners, again after one learner changed | {render_one:.2f} s "
        f"| ≤ 3 s | {'✅' if render_one <= 3 else '❌'} |",
        f"| `olap report`, {n:,} learners, after `olap validate` (validate cache warm) | median "
        f"{report_warm:.2f} s (min {min(report_after):.2f}, max {max(report_after):.2f}, 5 runs) "
        f"| ≤ 3 s | {'✅' if report_warm <= 3 else '❌'} |",
        f"| `olap report`, {n:,} learners, cold | {report_cold:.2f} s → {report_cold / cold:.2f}× the cold "
        f"`olap validate` | ≤ 1.5× | {'✅' if report_cold <= 1.5 * cold else '❌'} |",
        "",
        "## Notes",
        "",
        "- `need add` on a learner file olap has never validated (neither written by olap nor seen",
        f"  by `olap validate`) validates the whole file through pydantic first: "
        f"{rows[0][1]['first']:.3f} s (30 learners) and {rows[1][1]['first']:.3f} s (5,000).",
        "  The table's figures are the usual case: the file was last written by olap or seen by",
        "  `olap validate` (see docs/architecture.md, « the write path »).",
        "- `need add` notes the event in the outbox and returns; a detached process writes the",
        "  e-mail a tenth of a second later (docs/notifications.md). The benchmark waits, untimed,",
        "  for that e-mail before the next run, as a trainer's next command would come later.",
        "- `need add` reads the core files' summary and one learner file: its time does not grow",
        "  with the cohort. It imports neither pydantic nor ruamel.yaml in the usual case (the",
        "  need's lines are appended as text, kept only when parsing proves the result).",
        "- Python's bytecode cache is on, as in a normal installation (this sandbox turns it off",
        "  with `PYTHONDONTWRITEBYTECODE=1`; the benchmark removes that variable).",
        f"- `validate` reads learner files in {os.cpu_count()} worker processes from 400 files on;",
        "  PyYAML's own loader is the single-process reference the issue names.",
        "- `render` re-reads learners from a cache of parsed data keyed by each file's digest,",
        "  re-renders a learner's grid only when that learner or the core files changed, and",
        "  writes only the pages whose bytes changed.",
        "- The warm run keys the cache by content: blob ids from the git index for files whose",
        "  stat data prove them unchanged (git's own rule), a hash of the bytes for the others.",
        "- `report` reads each learner's brief (what the figures need) from the cache `validate`",
        "  fills; when cold it parses the files in worker processes as `validate` does. It",
        "  imports scipy.stats and writes half of the annex in forked children (docs/",
        f"  architecture.md, « the report at 10,000 learners »). The report is "
        f"{report_out.stat().st_size / 1e6:.1f} MB here.",
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
