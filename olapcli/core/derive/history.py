"""What changed between two versions of a learner file, said in words.

The versions are given as plain data (what the YAML says), None for a file that does
not exist in that version; a version that cannot be read is an empty mapping.
"""

from __future__ import annotations

from typing import Any

from olapcli.i18n import _


def by_id(items: Any) -> dict[str, dict[str, Any]]:
    """The items of a list of needs or evaluations, by their id (others left out)."""
    if not isinstance(items, list):
        return {}
    return {str(i.get("id")): i for i in items if isinstance(i, dict)}


def describe(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """Sentences for what changed from *before* to *after* (data of one learner file)."""
    old, new = before or {}, after or {}
    lines: list[str] = []
    if before is None and after is not None:
        lines.append(
            _("learner file created ({first} {last})").format(
                first=new.get("first_name", ""), last=new.get("last_name", "")
            )
        )
    if after is None:
        return [_("learner file deleted")]
    old_needs, new_needs = by_id(old.get("needs")), by_id(new.get("needs"))
    for nid, need in new_needs.items():
        if nid not in old_needs:
            lines.append(
                _("need added {id}: activity {activity}, due {due} — {detail}").format(
                    id=nid,
                    activity=need.get("activity"),
                    due=need.get("due"),
                    detail=need.get("detail"),
                )
            )
        elif need != old_needs[nid]:
            changed = sorted(
                k for k in set(need) | set(old_needs[nid]) if need.get(k) != old_needs[nid].get(k)
            )
            lines.append(_("need {id} changed: {fields}").format(id=nid, fields=", ".join(changed)))
    for nid in old_needs.keys() - new_needs.keys():
        lines.append(_("need removed {id}").format(id=nid))
    old_ev, new_ev = by_id(old.get("evaluations")), by_id(new.get("evaluations"))
    for eid, ev in new_ev.items():
        if eid not in old_ev:
            lines.append(
                _("evaluation recorded: {activity} = {level} by {by} on {date}").format(
                    activity=ev.get("activity"),
                    level=ev.get("level"),
                    by=ev.get("by"),
                    date=ev.get("date"),
                )
            )
        elif ev != old_ev[eid]:
            lines.append(_("evaluation {id} changed").format(id=eid))
    for eid in old_ev.keys() - new_ev.keys():
        lines.append(_("evaluation removed {id}").format(id=eid))
    if old.get("plan") != new.get("plan") and before is not None:
        old_plan, new_plan = old.get("plan") or {}, new.get("plan") or {}
        acts = sorted(
            str(a) for a in set(old_plan) | set(new_plan) if old_plan.get(a) != new_plan.get(a)
        )
        lines.append(_("plan changed for {activities}").format(activities=", ".join(acts)))
    if old.get("outcomes") != new.get("outcomes") and before is not None:
        lines.append(_("outcomes updated"))
    skip = {"needs", "evaluations", "plan", "outcomes"}
    others = sorted(k for k in set(old) | set(new) if k not in skip and old.get(k) != new.get(k))
    if others and before is not None:
        lines.append(_("changed: {fields}").format(fields=", ".join(others)))
    return lines
