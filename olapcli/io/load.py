"""The one loader: a cohort folder read into models (or briefs), problems collected,
never raised on bad data.

Files are read by the fast YAML path (:mod:`olapcli.io.yamlread`) and validated by the
models; the positions of problems are found afterwards, for the files that have one.
Learner files are read through olap's cache (:mod:`olapcli.io.store`): what was
already made from a file's exact bytes is not made again, and many files are parsed
in worker processes. pydantic is imported only when a file must be validated, so the
write path of ``olap need add`` (:func:`core_summary`) stays light.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from olapcli.core.conflicts import conflict_problem
from olapcli.core.layout import COHORT, CORE_FILES, REFERENTIEL, SUBJECTS
from olapcli.errors import Forbidden, Problem, ProblemsError
from olapcli.i18n import _
from olapcli.io import yamlread
from olapcli.io.files import decode
from olapcli.io.paths import Listing, learner_files, listing
from olapcli.io.store import Store, key
from olapcli.io.yamlproblems import with_sources

if TYPE_CHECKING:
    from olapcli.core.cohortdata import CohortData, Core
    from olapcli.core.model import Base, Learner
    from olapcli.core.summary import Summary

M = TypeVar("M", bound="Base")


def parse(text: str, rel: str) -> tuple[Any, list[Problem]]:
    """Plain data of *text*, or the problems that prevent reading it."""
    data, _node, problems = parse_node(text, rel)
    return data, problems


def parse_node(text: str, rel: str) -> tuple[Any, Any, list[Problem]]:
    """Plain data of *text* and its node tree (the positions of its parts), or the
    problems that prevent reading it."""
    import yaml

    from olapcli.io.yamlproblems import reading_problem

    marker = conflict_problem(text, rel)
    if marker is not None:
        return None, None, with_sources(text, [marker])
    try:
        data, node = yamlread.load_node(text)
        return data, node, []
    except (Forbidden, yaml.YAMLError, RecursionError, ValueError) as exc:
        return None, None, with_sources(text, [reading_problem(rel, text, exc)])


def validate_data(model: type[M], data: Any, rel: str) -> tuple[M | None, list[Problem]]:
    """The model for *data*, or its schema problems (positions not yet set)."""
    from pydantic import ValidationError

    from olapcli.core.schemaerrors import problems_from

    if data is None:
        return None, [
            Problem(
                rel,
                1,
                1,
                "error",
                "empty-file",
                _("the file is empty"),
                _("fill it in, or delete it"),
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from(rel, exc)


def read_model(
    root: Path, rel: str, model: type[M], digests: dict[str, str] | None = None
) -> tuple[M | None, list[Problem]]:
    """Read one file into *model* by the fast path; problems carry positions.

    With *digests*, the content digest of a file that follows the model is
    recorded there.
    """
    try:
        raw = (root / rel).read_bytes()
    except FileNotFoundError:
        return None, [
            Problem(
                rel,
                None,
                None,
                "error",
                "missing-file",
                _("the file {path} is missing").format(path=rel),
            )
        ]
    except OSError as exc:
        return None, [Problem(rel, None, None, "error", "unreadable", str(exc))]
    return model_from_bytes(raw, rel, model, digests)


def model_from_bytes(
    raw: bytes, rel: str, model: type[M], digests: dict[str, str] | None = None
) -> tuple[M | None, list[Problem]]:
    """*raw* (the bytes of *rel*) read into *model*; see :func:`read_model`."""
    text, problems = decode(raw, rel)
    if text is None:
        return None, problems
    data, node, problems = parse_node(text, rel)
    if problems:
        return None, problems
    obj, problems = validate_data(model, data, rel)
    if problems:
        problems = locate_in_text(text, problems, node)
    elif digests is not None:
        from olapcli.io.store import digest

        digests[rel] = digest(raw)
    return obj, problems


def locate_in_text(text: str, problems: list[Problem], node: Any = None) -> list[Problem]:
    """Set line, column and source line of *problems* (all of one file) from their
    ``loc``; *node*, the text's node tree when the caller has it, spares a parse."""
    wanted = [p.loc for p in problems if p.line is None and p.loc]
    if wanted:
        keys = frozenset(p.loc for p in problems if p.on_key)
        if node is not None:
            found = yamlread.positions_in(node, wanted, keys)
        else:
            found = yamlread.positions(text, wanted, keys)
        problems = [
            replace(p, line=found[p.loc][0], col=found[p.loc][1])
            if p.line is None and p.loc in found
            else p
            for p in problems
        ]
    return with_sources(text, problems)


def locate(root: Path, problems: Iterable[Problem]) -> list[Problem]:
    """Set positions of problems found after loading (references, dates…)."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    order: list[Problem] = list(problems)
    for p in order:
        if p.line is None and p.loc:
            by_file[p.path].append(p)
    fixed: dict[int, Problem] = {}
    for rel, group in by_file.items():
        try:
            text = (root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for before, after in zip(group, locate_in_text(text, group), strict=True):
            fixed[id(before)] = after
    return [fixed.get(id(p), p) for p in order]


def load_core(root: Path) -> tuple[CohortData, list[Problem]]:
    """cohort.yaml, referentiel.yaml and subjects.yaml (if present)."""
    from olapcli.core.cohortdata import CohortData
    from olapcli.core.model import Cohort, Referentiel, Subjects

    data = CohortData(root)
    problems: list[Problem] = []
    data.cohort, found = read_model(root, COHORT, Cohort)
    problems += found
    data.referentiel, found = read_model(root, REFERENTIEL, Referentiel)
    problems += found
    if (root / SUBJECTS).exists():
        data.subjects, found = read_model(root, SUBJECTS, Subjects)
        problems += found
    return data, problems


def load_base(root: Path, found: Listing | None = None) -> tuple[CohortData, list[Problem]]:
    """Core files and resources (shared, and learners' own): everything but the learners;
    *found*, the cohort's files when the caller listed them already."""
    from olapcli.core.model import ResourceFile

    found = found or listing(root)
    data, problems = load_core(root)
    problems += [link_problem(rel) for rel in found.links]
    data.attachments = found.attachments
    data.learner_ids = frozenset(rel[len("learners/") : -len(".yaml")] for rel in found.learners)
    for rel in found.resources:
        obj, errs = read_model(root, rel, ResourceFile)
        problems += errs
        if obj is not None:
            data.resources[obj.activity] = (rel, obj)
    for learner_id, rels in found.own.items():
        for rel in rels:
            obj, errs = read_model(root, rel, ResourceFile)
            problems += errs
            if obj is not None:
                data.own_resources.setdefault(learner_id, []).append((rel, obj))
    return data, problems


def link_problem(rel: str) -> Problem:
    """A symbolic link under resources/ or learners/: olap never follows one (it could
    lead to any file of the machine, which the site would publish)."""
    return Problem(
        rel,
        None,
        None,
        "error",
        "symbolic-link",
        _("a symbolic link: olap never follows one, so it is neither read nor published"),
        _("replace the link with the file itself, or remove it"),
    )


def load_cohort(root: Path) -> tuple[CohortData, list[Problem]]:
    """The whole cohort, with every problem met on the way."""
    data, problems = load_base(root)
    data.learners, found = learners(root, learner_files(root), "model")
    return data, problems + found


def require_core(root: Path) -> Core:
    """Core files for a write command; refused (exit 2) when they have errors."""
    from olapcli.core.cohortdata import Core

    data, problems = load_core(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors or data.cohort is None or data.referentiel is None:
        raise ProblemsError(_("The cohort files have errors; fix them first."), errors)
    return Core(root, data.cohort, data.referentiel, data.subjects)


def core_summary(root: Path) -> Summary:
    """What write commands check their input against (:mod:`olapcli.core.summary`), from
    olap's cache when the core files' bytes are those it was made from; refused (exit 2)
    when they have errors."""
    from olapcli.core import summary

    parts = []
    for name in CORE_FILES:
        try:
            parts.append((root / name).read_bytes())
        except FileNotFoundError:
            parts.append(b"\0absent")
        except OSError:
            parts.append(b"\0unreadable")
    wanted = key(*(p.decode("utf-8", "replace") for p in parts))
    kept = _SUMMARIES.get(wanted)  # a server asks at every post: the same bytes, in memory
    if kept is not None:
        return kept
    store = Store(root)
    cached = store.read("core")
    made = None
    if isinstance(cached, dict) and cached.get("key") == wanted:
        try:
            made = summary.from_json(cached["summary"])
        except (KeyError, TypeError, ValueError):
            pass
    if made is None:
        made = summary.of(require_core(root))
        store.write("core", {"key": wanted, "summary": summary.to_json(made)})
    if len(_SUMMARIES) >= 8:
        _SUMMARIES.clear()
    _SUMMARIES[wanted] = made
    return made


#: the summaries made in this process, by the key of the core files' bytes
_SUMMARIES: dict[str, Summary] = {}


Kind = Literal["model", "brief"]


def _parse(item: tuple[str, bytes, Kind]) -> tuple[str, list[Problem], Any]:
    """One learner file's bytes read into the JSON form of *kind* (in a worker, or here)."""
    from olapcli.core.model import Learner

    rel, raw, kind = item
    learner, errs = model_from_bytes(raw, rel, Learner)
    if learner is None:
        return rel, errs, None
    if kind == "brief":
        from olapcli.core.derive import briefs

        return rel, errs, briefs.to_json(briefs.of(learner))
    return rel, errs, learner.model_dump(mode="json", by_alias=True, exclude_none=True)


def _made(kind: Kind, data: Any) -> Any:
    """A model or a brief from its JSON form; ``ValueError`` when it is not one."""
    if kind == "brief":
        from olapcli.core.derive import briefs

        return briefs.from_json(data)
    from olapcli.core.model import Learner

    return Learner.model_validate(data)


def learners(
    root: Path, rels: list[str], kind: Kind = "model"
) -> tuple[list[tuple[str, Any]], list[Problem]]:
    """(path, model or brief) of each valid learner file of *rels*, in their order, and
    the problems of the others. What was made before from a file's exact bytes comes
    from olap's cache; the rest is parsed, in worker processes when there are many, and
    kept there. A model that comes from the cache goes through the model again."""
    from olapcli.io.workers import parallel_map

    store = Store(root)
    digests, read = store.digests(rels)
    table = store.table("briefs" if kind == "brief" else "models")
    entries = table.load()
    found: dict[str, Any] = {}
    problems: list[Problem] = []
    misses: list[tuple[str, bytes, Kind]] = []
    for rel in rels:
        if rel not in digests:
            problems.append(
                Problem(rel, None, None, "error", "unreadable", _("the file cannot be read"))
            )
            continue
        hit = entries.get(digests[rel])
        if hit is not None:
            try:
                found[rel] = _made(kind, hit)
                continue
            except ValueError:
                pass
        raw = read.get(rel)
        if raw is None:
            try:
                raw = (root / rel).read_bytes()
            except OSError as exc:
                problems.append(Problem(rel, None, None, "error", "unreadable", str(exc)))
                continue
        misses.append((rel, raw, kind))
    fresh = {}
    for rel, errs, data in parallel_map(_parse, misses):
        problems += errs
        if data is not None:
            found[rel] = _made(kind, data)
            fresh[digests[rel]] = data
    table.save(fresh)
    return [(rel, found[rel]) for rel in rels if rel in found], problems


def one_learner(root: Path, rel: str) -> tuple[list[tuple[str, Learner]], list[Problem]]:
    """The learner file *rel* as :func:`learners` reads it, parsed here: one 5-KB file
    parses in milliseconds, while olap's cache of a 10,000-learner cohort takes two
    seconds to load (a learner's page on olap serve, a write)."""
    from olapcli.core.model import Learner

    try:
        raw = (root / rel).read_bytes()
    except OSError as exc:
        return [], [Problem(rel, None, None, "error", "unreadable", str(exc))]
    learner, errs = model_from_bytes(raw, rel, Learner)
    return ([(rel, learner)] if learner is not None else []), errs


def valid_learners(root: Path, learner_id: str | None = None) -> list[tuple[str, Learner]]:
    """The learners (or the one *learner_id*) as models; refused (exit 2) when a file has
    errors: a command that shows them must not show a wrong picture."""
    from olapcli.io.paths import learner_path

    if learner_id:
        found, problems = one_learner(root, learner_path(root, learner_id)[1])
    else:
        found, problems = learners(root, learner_files(root), "model")
    if problems:
        raise ProblemsError(_("Some learner files have errors; run olap validate."), problems)
    return found
