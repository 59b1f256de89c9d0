"""How every write to a learner file is made, whatever the action.

Under the cohort's lock, from read to write and commit: the file is loaded for a
round-trip edit (only the intended lines change), the edited document is checked
against the model, then written atomically; with a commit message, exactly that file
is committed, and if Git refuses the file is put back as it was. The new text is
remembered as valid, so the next write need not validate it again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.errors import ProblemsError, UserError
from olapcli.i18n import _
from olapcli.io import files
from olapcli.io.paths import learner_path
from olapcli.io.store import Store

if TYPE_CHECKING:
    from olapcli.io.yamlwrite import Document


def finish_write(
    root: Path, path: Path, before: str, after: str, commit: str | None, author: str | None = None
) -> None:
    """Write *after* atomically, commit it if asked (as *author* when given; restoring
    *before* if Git refuses), and remember the new text as valid."""
    files.atomic_write(path, after)
    if commit is not None:
        from olapcli.io import git

        try:
            git.commit(root, [path], commit, author)
        except UserError:
            files.atomic_write(path, before)
            raise
    Store(root).mark_valid(after)


def validate_learner(rel: str, data: Any, before: str) -> None:
    """Refuse (exit 2) when the edited learner document does not follow the model."""
    from olapcli.core.model import Learner

    follow_model(Learner, rel, data, before)


def follow_model(model: Any, rel: str, data: Any, before: str | None = None) -> Any:
    """The edited document *data* of *rel* read by the pydantic *model*; refused (exit 2,
    the problems located in *before*, the text as it was, when given) when it does not
    follow it: nothing is written."""
    from pydantic import ValidationError

    from olapcli.core.schemaerrors import problems_from
    from olapcli.io.load import locate_in_text
    from olapcli.io.yamlwrite import plain

    try:
        return model.model_validate(plain(data))
    except ValidationError as exc:
        problems = problems_from(rel, exc)
        if before is not None:
            problems = locate_in_text(before, problems)
        raise ProblemsError(
            _("{path} has errors; nothing was written. Fix them, then try again.").format(path=rel),
            problems,
        ) from None


def require_valid(root: Path, rel: str, text: str) -> None:
    """Refuse (exit 2) to write into a learner file that ``olap validate`` rejects, or
    while the core files its checks read hold an error: a write command reads the data
    as validate does, and an error there is fixed by hand, not buried under a new entry. A text found clean is remembered (see
    :meth:`Store.known_valid`), so the next write does not check it again."""
    store = Store(root)
    if store.known_valid(text):
        return
    from olapcli.app.checking import file_problems
    from olapcli.io.clock import today

    day = today()  # an error may hold until a day (a need identified after today)
    errors = [p for p in file_problems(root, rel) if p.severity == "error" and p.holds_on(day)]
    if errors:
        raise ProblemsError(
            _(
                "{path} has errors (olap validate lists them too); nothing was written. "
                "Fix them, then try again."
            ).format(path=", ".join(sorted({p.path or rel for p in errors}))),
            errors,
        )
    store.mark_valid(text)


@contextlib.contextmanager
def edit_locked(
    root: Path,
    path: Path,
    rel: str,
    commit: str | None,
    entry_checked: bool,
    author: str | None = None,
) -> Iterator[Document]:
    """The learner's document for editing, the lock being held by the caller; validated,
    written and committed when the block ends without an exception."""
    from olapcli.io import yamlwrite

    require_valid(root, rel, files.read_text(path, rel))
    doc = yamlwrite.load(path, rel)
    if not yamlwrite.is_mapping(doc.data):
        raise UserError(_("{path} is not a learner file (no keys).").format(path=rel))
    before = doc.text
    trusted = entry_checked and Store(root).known_valid(before)
    yield doc
    if not trusted:
        validate_learner(rel, doc.data, before)
    after = yamlwrite.dump(doc)
    if after != before:
        finish_write(root, path, before, after, commit, author)


@contextlib.contextmanager
def editing(
    root: Path,
    learner_id: str,
    commit: str | None,
    entry_checked: bool = False,
    author: str | None = None,
) -> Iterator[Document]:
    """Lock, load the learner's document, yield it, then validate, save and commit.

    *commit* is the commit message, or None for no commit. With *entry_checked* (the
    caller checked what it adds by the model's rules), a file whose exact text olap
    validated before is not validated again. *author* (« Name <e-mail> ») signs the
    commit when someone else than the machine's Git identity acted (olap serve).
    """
    if commit is not None:
        from olapcli.io import git

        git.require_repo(root)
    with files.repo_lock(root):
        path, rel = learner_path(root, learner_id)
        with edit_locked(root, path, rel, commit, entry_checked, author) as doc:
            yield doc


def find_item(doc: Document, key: str, item_id: str) -> tuple[int, Any]:
    """The need (*key* ``needs``) whose id is *item_id*, or the one whose id starts with
    it; refused when there is none or several."""
    items = doc.data.get(key) or []
    exact = [(i, n) for i, n in enumerate(items) if isinstance(n, dict) and n.get("id") == item_id]
    found = exact or [
        (i, n)
        for i, n in enumerate(items)
        if isinstance(n, dict) and str(n.get("id", "")).startswith(item_id)
    ]
    if len(found) != 1:
        known = ", ".join(str(n.get("id")) for n in items if isinstance(n, dict)) or "—"
        raise UserError(
            _("No need « {id} » for this learner.").format(id=item_id)
            if not found
            else _("« {id} » matches several needs.").format(id=item_id),
            _("needs of this learner: {ids}").format(ids=known),
        )
    return found[0]


def ids_in(seq: Any) -> set[str]:
    """The ids of the items of a list of needs or evaluations."""
    return {str(item.get("id")) for item in seq if isinstance(item, dict)}
