"""Identifiers: readable slugs for learners, collision-free ids for records."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata

_KEY_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
#: the shape of the keys :func:`learner_key` draws
KEY_SHAPE = f"K-[{_KEY_ALPHABET}]{{8}}"


def slug(*parts: str) -> str:
    """``léa-martin`` → ``lea-martin``: accents folded, lower case, dashes."""
    text = " ".join(parts)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text[:60].strip("-") or "alternant"


def unique_slug(base: str, taken: set[str]) -> str:
    """*base*, or *base*-2, -3… the first not in *taken*."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def record_id(prefix: str, day: dt.date) -> str:
    """An id two trainers can create in two clones without ever colliding.

    The date keeps ids readable and sorted; 40 random bits make a collision
    between two clones negligible (and a collision in one file is retried).
    """
    return f"{prefix}{day:%Y%m%d}-{secrets.token_hex(5)}"


def learner_key() -> str:
    """A stable pseudonymous key, used in everything sent outside the centre."""
    return "K-" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(8))
