"""pydantic validation errors, said in the user's language with a hint."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from olapcli.core import links
from olapcli.core.model import MODELS
from olapcli.errors import Loc, Problem
from olapcli.i18n import _


def _all_fields() -> list[str]:
    names: set[str] = set()
    seen: set[type] = set()

    def walk(model: Any) -> None:
        if model in seen or not hasattr(model, "model_fields"):
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
            for arg in _types_in(info.annotation):
                walk(arg)

    for model in MODELS.values():
        walk(model)
    return sorted(names)


def _types_in(annotation: Any) -> list[Any]:
    out = [annotation]
    for arg in getattr(annotation, "__args__", ()) or ():
        out.extend(_types_in(arg))
    return out


_FIELDS: list[str] | None = None


def loc_text(loc: Loc) -> str:
    """``needs[3].activity`` from ``("needs", 3, "activity")``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"


def _value(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def problems_from(rel: str, exc: ValidationError) -> list[Problem]:
    """One problem per pydantic error, positioned later from ``loc``."""
    global _FIELDS
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(p for p in err["loc"] if not isinstance(p, str) or "[" not in p)
        field = loc_text(loc)
        kind = err["type"]
        given = err.get("input")
        ctx = err.get("ctx") or {}
        hint: str | None = None
        code = "schema"
        if kind == "missing":
            code = "missing-field"
            msg = _("required field « {field} » is missing").format(field=field)
            hint = _("add the line « {key}: … » here").format(key=loc[-1] if loc else field)
        elif kind == "extra_forbidden":
            code = "unknown-key"
            key = str(loc[-1]) if loc else field
            msg = _("unknown key « {key} »").format(key=key)
            if _FIELDS is None:
                _FIELDS = _all_fields()
            close = difflib.get_close_matches(key, _FIELDS, n=1)
            hint = (
                _("did you mean « {name} »?").format(name=close[0])
                if close
                else _("remove it, or check its spelling and indentation")
            )
        elif kind in ("string_type",):
            msg = _("« {field} » must be text").format(field=field)
            if isinstance(given, int | float) and not isinstance(given, bool):
                hint = _('put the value in quotes, as written: "…"')
                code = "quote-value"
        elif kind == "bool_type":
            msg = _("« {field} » must be true or false, not « {value} »").format(
                field=field, value=_value(given)
            )
            hint = _("write true or false (yes, no, on, off are not booleans in YAML 1.2)")
        elif kind in ("int_type", "int_parsing", "int_from_float"):
            msg = _("« {field} » must be a whole number, not « {value} »").format(
                field=field, value=_value(given)
            )
        elif kind in ("float_type", "float_parsing"):
            msg = _("« {field} » must be a number, not « {value} »").format(
                field=field, value=_value(given)
            )
        elif kind == "finite_number":
            msg = _("« {field} » must be a finite number, not « {value} »").format(
                field=field, value=_value(given)
            )
            hint = _("« 1e400 » is read as infinity and « .nan » as no number at all")
        elif kind == "literal_error":
            msg = _("« {value} » is not allowed for « {field} »").format(
                value=_value(given), field=field
            )
            hint = _("allowed values: {expected}").format(expected=ctx.get("expected", ""))
        elif kind in ("string_too_short",):
            msg = _("« {field} » cannot be empty").format(field=field)
        elif kind == "too_short":
            msg = _("« {field} » needs at least {n} item(s)").format(
                field=field, n=ctx.get("min_length", 1)
            )
        elif kind in ("greater_than_equal", "greater_than"):
            msg = _("« {field} » must be at least {n}").format(
                field=field, n=ctx.get("ge", ctx.get("gt", ""))
            )
        elif kind in ("less_than_equal", "less_than"):
            msg = _("« {field} » must be at most {n}").format(
                field=field, n=ctx.get("le", ctx.get("lt", ""))
            )
        elif kind == "string_pattern_mismatch":
            pattern = str(ctx.get("pattern", ""))
            if "https" in pattern:
                msg = _("« {value} » is not a web link").format(value=_value(given))
                hint = _("only http:// and https:// links are accepted")
            elif "A-Z0-9-" in pattern:
                msg = _("invalid learner key « {value} »").format(value=_value(given))
                hint = _("capital letters, digits and dashes, 4 to 32 characters")
            else:
                msg = _("invalid identifier « {value} » in « {field} »").format(
                    value=_value(given), field=field
                )
                hint = _("letters, digits, dots, dashes and underscores, no spaces")
        elif kind in ("list_type",):
            msg = _("« {field} » must be a list").format(field=field)
            hint = _("one item per line, each starting with « - »")
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            msg = _("« {field} » must be a block of keys").format(field=field)
        elif kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
            msg = _("« {field} » must be a date").format(field=field)
            hint = _("write the date as YYYY-MM-DD")
        elif kind == "value_error":
            reason = str(ctx.get("error") or ctx.get("reason") or "")
            if reason == "date_invalid":
                code = "invalid-date"
                msg = _("invalid date « {value} » in « {field} »").format(
                    value=_value(given), field=field
                )
                hint = _("write the date as YYYY-MM-DD, e.g. 2026-03-02")
            elif reason == "date_out_of_range":
                code = "invalid-date"
                msg = _(
                    "the date « {value} » in « {field} » is out of the years olap knows"
                ).format(value=_value(given), field=field)
                hint = _("write a date between 1900 and 2199, e.g. 2026-03-02")
            elif reason == "text_control":
                code = "control-in-text"
                msg = _("« {field} » holds a control or direction character").format(field=field)
                hint = _("write the text again without it: it hides or reorders what is shown")
            elif reason == "date_with_time":
                code = "invalid-date"
                msg = _("« {field} » must be a date without a time").format(field=field)
                hint = _("write the date as YYYY-MM-DD, e.g. 2026-03-02")
            elif reason == "duplicate_value":
                msg = _("the same value appears twice in « {field} »").format(field=field)
            elif reason == "link_control":
                code = "control-in-link"
                msg = _("the link « {value} » holds a control character").format(
                    value=_value(links.visible(str(given)))
                )
                hint = _("write the link on one line, without line break, tab or escape")
            elif reason == "path_outside":
                msg = _("« {value} » is not a path inside the repository").format(
                    value=_value(given)
                )
                hint = _("use a relative path with forward slashes, without « .. »")
            elif "email" in reason.lower() or "@" in reason:
                code = "invalid-email"
                msg = _("invalid e-mail address « {value} »").format(value=_value(given))
            else:
                msg = _("invalid value « {value} » in « {field} »").format(
                    value=_value(given), field=field
                )
        else:
            msg = _("invalid value in « {field} »: {detail}").format(
                field=field, detail=err.get("msg", kind)
            )
        out.append(
            Problem(
                rel, None, None, "error", code, msg, hint, loc, on_key=kind == "extra_forbidden"
            )
        )
    return out
