"""olap — outil de liaison pour l'alternance proactive."""

from __future__ import annotations

__version__ = "0.1.0"
