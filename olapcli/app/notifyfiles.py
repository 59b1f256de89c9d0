"""The cohort's files as the notifications read them: plain data, leniently, from the
working tree or from a Git revision (:mod:`olapcli.app.notify`). Fast YAML path only:
``olap need add`` uses it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from olapcli.core.layout import COHORT, REFERENTIEL
from olapcli.io import files, yamlread


class Files:
    """The cohort's files as plain data, read through *read* (working tree or a revision),
    leniently: a file that cannot be read is treated as absent."""

    def __init__(self, read: Callable[[str], bytes | None]) -> None:
        self.read = read
        self._cache: dict[str, Any] = {}

    def data(self, rel: str) -> Any:
        if rel not in self._cache:
            raw = self.read(rel)
            try:
                self._cache[rel] = yamlread.load(raw.decode("utf-8")) if raw is not None else None
            except Exception:  # unreadable at that revision: treated as absent
                self._cache[rel] = None
        return self._cache[rel]

    def cohort(self) -> dict[str, Any]:
        data = self.data(COHORT)
        return data if isinstance(data, dict) else {}

    def activity(self, activity_id: str) -> dict[str, Any]:
        ref = self.data(REFERENTIEL) or {}
        for group in ref.get("groups") or []:
            for act in group.get("activities") or []:
                if str(act.get("id")) == activity_id:
                    return dict(act)
        return {"id": activity_id, "title": ""}

    def shared_resources(self, activity_id: str) -> list[dict[str, Any]]:
        data = self.data(f"resources/{activity_id}.yaml") or {}
        return [
            {"title": "", "url": None, "file": None, **r}
            for r in data.get("resources") or []
            if isinstance(r, dict)
        ]


def working_tree(root: Path) -> Files:
    """The files of the working tree."""

    return Files(lambda rel: files.read_bytes(root / rel))


def sender(cohort: dict[str, Any]) -> str:
    """The address olap's e-mails come from: ``notifications.sender`` of cohort.yaml (as
    plain data), else ``OLAP_SMTP_FROM``."""
    from olapcli.io import env

    notifications = cohort.get("notifications")
    given = notifications.get("sender") if isinstance(notifications, dict) else None
    return str(given or env.get("OLAP_SMTP_FROM", "olap@localhost"))
