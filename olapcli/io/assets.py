"""Files olap ships: the example cohort and the JSON Schemas of the file formats.

In an installed package (a wheel) they live inside it, as ``olapcli/sample_cohort``
and ``olapcli/schemas`` (pyproject.toml maps the repository's ``sample-cohort/`` and
``schema/`` there). In a source checkout (``pip install -e .``) they are read where
they are, at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
_SOURCE = _PACKAGE.parent


def _first(*candidates: Path) -> Path | None:
    return next((c for c in candidates if c.is_dir()), None)


def sample_cohort() -> Path | None:
    """The example cohort, or None when this installation does not have it."""
    found = _first(_PACKAGE / "sample_cohort", _SOURCE / "sample-cohort")
    return found if found is not None and (found / "cohort.yaml").is_file() else None


def schemas() -> Path | None:
    """The folder of the JSON Schemas (``*.schema.json``)."""
    found = _first(_PACKAGE / "schemas", _SOURCE / "schema")
    return found if found is not None and any(found.glob("*.schema.json")) else None


def scaffold() -> Path:
    """The files ``olap init`` starts a cohort from."""
    return _PACKAGE / "init"


def templates() -> Path:
    """The folder of the Jinja templates (site, report, e-mails)."""
    return _PACKAGE / "render" / "templates"


def template_bytes(name: str) -> bytes:
    """The bytes of the packaged template or asset *name* (e.g. ``style.css``)."""
    return (templates() / name).read_bytes()


#: the templates of a notification e-mail: its text part and its HTML part (here, so that
#: ``need add`` checks they are installed without importing the e-mail package)
MAIL_TEMPLATES = ("notify.txt.j2", "notify.html.j2")


def missing_templates(names: tuple[str, ...]) -> list[str]:
    """Which of the templates *names* this installation lacks (a packaging fault)."""
    return [name for name in names if not (templates() / name).is_file()]


def templates_digest() -> bytes:
    """A digest of every template: a changed template renders every page again."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    folder = templates()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.digest()


def copy_sample(directory: Path) -> bool:
    """Copy the example cohort into *directory*; False when this installation has none."""
    import shutil

    source = sample_cohort()
    if source is None:
        return False

    class Stop(Exception):
        """Carries the first error of a copy out of copytree, which would collect them
        all as text (losing their errno: « disk full » must be said as such)."""

    def copy(src: str, dst: str) -> None:
        try:
            shutil.copy2(src, dst)
        except OSError as exc:
            raise Stop(exc) from None

    try:
        shutil.copytree(
            source,
            directory,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("site", "outbox", ".olap.lock", "__pycache__"),
            copy_function=copy,
        )
    except Stop as stop:
        raise stop.args[0] from None
    return True


def write_scaffold(directory: Path, values: dict[str, object]) -> None:
    """The files of a new, empty cohort: cohort.yaml (its dates from *values*), a
    référentiel and subjects to start from, the learners/ and resources/files/ folders."""
    import shutil

    from olapcli.io.files import atomic_write

    directory.mkdir(parents=True, exist_ok=True)
    text = (scaffold() / "cohort.yaml").read_text(encoding="utf-8").format(**values)
    atomic_write(directory / "cohort.yaml", text)
    for name in ("referentiel.yaml", "subjects.yaml"):
        shutil.copyfile(scaffold() / name, directory / name)
    for sub in ("learners", "resources/files"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
        (directory / sub / ".gitkeep").touch()


def copy_repository_files(directory: Path) -> bool:
    """What every cohort repository holds besides its data: .gitignore, the JSON Schemas
    for editors (.olap/schema/), the CI files for GitHub and GitLab (a centre keeps the
    one it uses). False when this installation has no schemas."""
    import shutil

    found = schemas()
    if found is None:
        return False
    shutil.copyfile(scaffold() / "gitignore", directory / ".gitignore")
    (directory / ".olap" / "schema").mkdir(parents=True, exist_ok=True)
    for schema in found.glob("*.schema.json"):
        shutil.copyfile(schema, directory / ".olap" / "schema" / schema.name)
    (directory / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(scaffold() / "github-workflow.yml", directory / ".github/workflows/olap.yml")
    shutil.copyfile(scaffold() / "gitlab-ci.yml", directory / ".gitlab-ci.yml")
    return True
