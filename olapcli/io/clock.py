"""The day olap takes as today: the system's, or ``OLAP_TODAY`` for reproducible runs."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """Today, or ``OLAP_TODAY`` (YYYY-MM-DD) for reproducible runs and tests."""
    forced = os.environ.get("OLAP_TODAY")
    if forced:
        return dt.date.fromisoformat(forced)
    return dt.date.today()
