"""The cohort repository format, as pydantic models.

These models are the public contract of the YAML files (the JSON Schemas in
``schema/`` are generated from them). Unknown keys are errors; types are strict
so that a document means the same thing for every reader (``ar: no`` is not a
boolean in YAML 1.2, and we do not guess it is). No I/O here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    EmailStr,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from olapcli.core.fields import (
    MARK_SCHEMA,
    Actor,
    Date,
    Id,
    Level,
    MeetingKind,
    MeetingWith,
    PlainText,
    Text,
    Url,
    as_mark,
    relative_path,
    resource_text,
    unique,
)
from olapcli.core.model_search import Prospect, ProspectCompany, Stage
from olapcli.core.modelbase import Base

__all__ = ["Base", "Prospect", "ProspectCompany", "Stage"]  # and the models below

RESOURCE_KINDS = ("video", "document", "exercise", "tutorial", "evaluation", "other")


# --- cohort.yaml -------------------------------------------------------------


class Formation(Base):
    name: Text
    level: Text
    rncp: str | None = None
    centre: str | None = None


class Period(Base):
    """One stay in the company: a period column of the grid."""

    id: Id
    start: Date
    end: Date
    label: str | None = None


class Trainer(Base):
    id: Id
    first_name: Text
    last_name: Text
    email: EmailStr | None = None


class Competence(Base):
    """A competence of a practice's grid (Annexes 8-9): for mobility, a competence of the
    stay paired with the one it serves at work (*work*)."""

    id: Id
    label: Text
    work: Text | None = None


class Practice(Base):
    """A column of the Annexe 7 table (qualité de l'alternance, théâtre…), with its own
    competence grid when it has one (theatre: behavioural competences; mobility: pairs)."""

    id: Id
    label: Text
    grid: list[Competence] = Field(default_factory=list)


class LabelPolicy(Base):
    """Label « proactivité pour l'emploi » (SPEC §5)."""

    min_needs: int = Field(default=1, ge=1)
    columns: list[Id] | Literal["all"] = Field(default_factory=lambda: ["qualite"])
    per: Literal["action", "year", "period"] = "action"
    tolerance: float = Field(default=0.10, ge=0, le=1)


class Policy(Base):
    imminence_days: int = Field(default=21, ge=1)
    label: LabelPolicy = Field(default_factory=LabelPolicy)


class Notifications(Base):
    """Who the e-mails come from, and where they are built: by each trainer's olap when
    recording (``workstation``), or by the centre's CI after a push (``ci``)."""

    sender: EmailStr | None = None
    by: Literal["workstation", "ci"] = "workstation"


class Serve(Base):
    """Where ``olap serve`` is reached from outside: the address personal links start
    with, in ``olap access grant`` and in the notification e-mails (``OLAP_PUBLIC_URL``
    overrides it)."""

    public_url: Url | None = None


class Cohort(Base):
    """``cohort.yaml``: the training action and its calendar."""

    formation: Formation
    start: Date
    end: Date
    periods: list[Period] = Field(default_factory=list)
    trainers: list[Trainer] = Field(default_factory=list)
    practices: list[Practice] = Field(min_length=1)
    policy: Policy = Field(default_factory=Policy)
    notifications: Notifications | None = None
    serve: Serve | None = None


# --- referentiel.yaml ---------------------------------------------------------


class Sheet(Base):
    """Evaluation sheet of a sub-activity: *required* criteria met give A."""

    criteria: list[Text] = Field(min_length=1)
    required: int = Field(ge=1)


class Activity(Base):
    """A sub-activity, worded so a company understands it."""

    id: Id
    title: Text
    choices: list[Text] = Field(default_factory=list)
    subjects: dict[Id, list[Id]] = Field(default_factory=dict)
    sheet: Sheet | None = None


class Group(Base):
    id: Id
    title: Text
    question: Text
    activities: list[Activity] = Field(min_length=1)


class Referentiel(Base):
    """``referentiel.yaml``: activity groups and sub-activities."""

    groups: list[Group] = Field(min_length=1)


# --- subjects.yaml ------------------------------------------------------------


class Objective(Base):
    id: Id
    title: Text


class Subject(Base):
    id: Id
    title: Text
    objectives: list[Objective] = Field(default_factory=list)


class Subjects(Base):
    """``subjects.yaml``: the other subjects (matières) and their objectives."""

    subjects: list[Subject] = Field(default_factory=list)


# --- resources/<activity>.yaml ------------------------------------------------


class Resource(Base):
    title: Text
    kind: Literal["video", "document", "exercise", "tutorial", "evaluation", "other"] = "other"
    url: Url | None = None
    file: Annotated[str, AfterValidator(relative_path)] | None = None


class ResourceFile(Base):
    """``resources/<activity>.yaml``: shared resources of one sub-activity."""

    activity: Id
    resources: list[Resource] = Field(default_factory=list)


# --- learners/<id>.yaml -------------------------------------------------------


class Company(Base):
    name: Text
    siret: str | None = None
    address: str | None = None
    phone: str | None = None


class Tutor(Base):
    first_name: Text
    last_name: Text
    email: EmailStr | None = None
    phone: str | None = None


class Contract(Base):
    type: Literal["apprentissage", "professionnalisation"]
    start: Date
    end: Date | None = None


class PlanEntry(Base):
    """AR: feasible in this company; AS: the company wishes to entrust it."""

    ar: bool | None = None
    as_: bool | None = Field(default=None, alias="as")
    periods: list[Id] = Field(default_factory=list)


class StepMark(Base):
    """One step of a need's cycle done: the day, who did it, a note. In a file it may be
    written as the date alone (:func:`olapcli.core.fields.as_mark`)."""

    date: Date
    by: Actor | None = None
    notes: str | None = None


#: a step's value: a date, or a mapping {date, by, notes}
Mark = Annotated[StepMark, BeforeValidator(as_mark), WithJsonSchema(MARK_SCHEMA)]


class Steps(Base):
    """The steps of a need's cycle (Annexe 3's twelve, :mod:`olapcli.core.cycle`), each
    optional. ``prepared`` (the response prepared at the centre, whatever the way),
    ``applied``, ``valorised`` and ``advantage`` keep the meaning they had before the
    twelve steps were written down."""

    contracted: Mark | None = None
    coached: Mark | None = None
    questioned: Mark | None = None
    supported: Mark | None = None
    collected: Mark | None = None
    advised: Mark | None = None
    technical: Mark | None = None
    general: Mark | None = None
    prepared: Mark | None = None
    briefed: Mark | None = None
    applied: Mark | None = None
    valorised: Mark | None = None
    negotiated: Mark | None = None
    advantage: str | None = None


class Note(Base):
    """A dated note of the learner on a need (during a workshop or a stay abroad)."""

    date: Date
    text: PlainText


class Need(Base):
    """An imminent production need of the company (the « I » of the grid)."""

    id: Id
    #: a sub-activity; may give way to a competence of its practice's grid (references)
    activity: Id | None = None
    practice: Id = "qualite"
    marked_by: Annotated[list[Actor], AfterValidator(unique)] = Field(min_length=1)
    identified: Date
    due: Date
    detail: PlainText
    company: str | None = None
    resources: list[Annotated[Text, AfterValidator(resource_text)]] = Field(default_factory=list)
    steps: Steps | None = None
    #: the prospect (contract search) the need was collected from
    prospect: Id | None = None
    #: the competence of its practice's grid the company asked for (theatre, mobility)
    competence: Id | None = None
    #: the learner's notes during the workshop or the stay
    notes: list[Note] = Field(default_factory=list)


class Evaluation(Base):
    """A / EC / R on an activity, answering a need or not."""

    id: Id
    #: absent only to answer a need that names a competence and no sub-activity
    activity: Id | None = None
    level: Level
    date: Date
    by: Actor
    need: Id | None = None
    criteria: list[Annotated[int, Field(ge=1)]] | None = None
    comment: str | None = None


class Meeting(Base):
    """A meeting with the company (the charter's two a year): a visit, a call or a video
    call, with the tutor, the employer or both."""

    date: Date
    kind: MeetingKind
    with_: Annotated[list[MeetingWith], AfterValidator(unique)] = Field(alias="with", min_length=1)
    notes: str | None = None


class Outcomes(Base):
    """Annexe 7 and charter indicators. Every one is optional: unknown is not « no ».

    ``rupture`` is the date the contract was broken, ``dropout`` the date the learner
    left the training (abandon); each ``false`` when it is known that there was none,
    absent when unknown. ``further_study``: the learner goes on studying (poursuite
    d'études). ``insertion_6m``: employed six months after the end (true), not employed
    (false), unknown (absent).
    """

    rupture: Date | Literal[False] | None = None
    exam: Literal["passed", "failed"] | None = None
    placement: bool | None = None
    absence_hours: float | None = Field(default=None, ge=0)
    insertion_6m: bool | None = None
    satisfaction_learner: int | None = Field(default=None, ge=1, le=5)
    satisfaction_company: int | None = Field(default=None, ge=1, le=5)
    dropout: Date | Literal[False] | None = None
    further_study: bool | None = None


class Learner(Base):
    """``learners/<id>.yaml``: one learner and everything recorded with them."""

    id: Id
    key: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{4,32}$")]
    first_name: Text
    last_name: Text
    email: EmailStr | None = None
    phone: str | None = None
    status: Literal["contract", "searching"]
    contract: Contract | None = None
    company: Company | None = None
    tutor: Tutor | None = None
    trainers: list[Id] = Field(default_factory=list)
    plan: dict[Id, PlanEntry] = Field(default_factory=dict)
    needs: list[Need] = Field(default_factory=list)
    evaluations: list[Evaluation] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    outcomes: Outcomes = Field(default_factory=Outcomes)
    prospects: list[Prospect] = Field(default_factory=list)


# --- access.yaml -------------------------------------------------------------

Role = Literal["tuteur", "alternant", "formateur"]
#: the learner of a grant that opens the whole cohort (a trainer's link)
WHOLE_COHORT = "*"


class Grant(Base):
    """A personal link given to one person (SPEC §9): no secret, no token here. The link
    works from *created* until the day before *expires*, unless *revoked* (the day)."""

    id: Id
    role: Role
    learner: Id | Literal["*"]
    person: Text
    created: Date
    expires: Date
    revoked: Date | None = None


class AccessFile(Base):
    """``access.yaml``: the personal links given, kept so the centre can audit them."""

    grants: list[Grant] = Field(default_factory=list)


#: file kind -> model; the kind names the JSON Schema file too.
MODELS: dict[str, type[Base]] = {
    "cohort": Cohort,
    "referentiel": Referentiel,
    "subjects": Subjects,
    "resources": ResourceFile,
    "learner": Learner,
    "access": AccessFile,
}
