"""The contract search's part of a learner file (Annexe 2; core/pipeline.py): the
companies approached and the stages each reached. Models of olapcli.core.model."""

from __future__ import annotations

from pydantic import Field

from olapcli.core.fields import Date, FirstContact, Id, StageId, Text
from olapcli.core.modelbase import Base


class ProspectCompany(Base):
    name: Text
    town: str | None = None
    contact: str | None = None
    phone: str | None = None


class Stage(Base):
    """A dated stage of a prospect (core/pipeline.py); an internship has its end date,
    a prospect dropped its reason."""

    stage: StageId
    date: Date
    end: Date | None = None
    reason: str | None = None
    notes: str | None = None


class Prospect(Base):
    """A company approached in the contract search (Annexe 2), by the learner or the CRE."""

    id: Id
    company: ProspectCompany
    first_contact: FirstContact
    stages: list[Stage] = Field(min_length=1)  # from its first contact on
