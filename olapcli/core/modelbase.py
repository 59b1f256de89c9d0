"""The base of every model of the files (olapcli.core.model): strict, closed, immutable."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Base(BaseModel):
    """Strict, closed, immutable."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        populate_by_name=True,
        defer_build=True,
        allow_inf_nan=False,  # « 1e400 » is infinity and « .nan » no number: neither is data
    )
