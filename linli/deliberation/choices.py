"""Enumerations and state machines of deliberation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine


class Scope(models.TextChoices):
    STAIRCASE = "staircase", _("Staircase")
    BUILDING = "building", _("Building")
    GRID = "grid", _("Grid")
    COMMUNITY = "community", _("Community")


class BaseRule(models.TextChoices):
    MAJOR = "major", _("Major matter (≥ 3/4 of participants)")
    ORDINARY = "ordinary", _("Ordinary matter (> 1/2 of participants)")
    UNANIMOUS = "unanimous", _("Unanimous")


class Step(models.TextChoices):
    """四议两公开, in order; DONE after the result is public."""

    PROPOSAL = "proposal", _("Party branch proposes")
    DISCUSSION = "discussion", _("Two committees discuss")
    REVIEW = "review", _("Party members review")
    RESOLUTION = "resolution", _("Residents' meeting resolves")
    RESOLUTION_PUBLIC = "resolution_public", _("Resolution made public")
    RESULT_PUBLIC = "result_public", _("Result made public")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


STEP_ORDER = (
    Step.PROPOSAL,
    Step.DISCUSSION,
    Step.REVIEW,
    Step.RESOLUTION,
    Step.RESOLUTION_PUBLIC,
    Step.RESULT_PUBLIC,
    Step.DONE,
)


class MatterTransition(models.TextChoices):
    COMPLETE_STEP = "complete_step", _("Record the step and go on")
    DROP = "drop", _("Drop the matter")


MATTER_MACHINE = StateMachine(
    allowed_from={
        MatterTransition.COMPLETE_STEP: tuple(STEP_ORDER[:-1]),
        MatterTransition.DROP: tuple(STEP_ORDER[:-1]),
    },
    status_labels=Step,
    transition_labels=MatterTransition,
    field="step",
)


class StepOutcome(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    AMENDED = "amended", _("Agreed with changes")
    REJECTED = "rejected", _("Rejected")


class MeetingKind(models.TextChoices):
    RESIDENTS = "residents", _("Residents' meeting")
    REPRESENTATIVES = "representatives", _("Residents' representatives")
    COMMITTEES = "committees", _("Two committees")
    PARTY = "party", _("Party members")
    STAIRCASE = "staircase", _("Staircase meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingTransition(models.TextChoices):
    HOLD = "hold", _("Record as held")
    CANCEL = "cancel", _("Cancel")


MEETING_MACHINE = StateMachine(
    allowed_from={
        MeetingTransition.HOLD: (MeetingStatus.PLANNED,),
        MeetingTransition.CANCEL: (MeetingStatus.PLANNED,),
    },
    status_labels=MeetingStatus,
    transition_labels=MeetingTransition,
)


class SignIn(models.TextChoices):
    STAFF = "staff", _("By staff")
    QR = "qr", _("QR code")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NoticeTransition(models.TextChoices):
    PUBLISH = "publish", _("Publish")
    WITHDRAW = "withdraw", _("Withdraw")


NOTICE_MACHINE = StateMachine(
    allowed_from={
        NoticeTransition.PUBLISH: (NoticeStatus.DRAFT,),
        NoticeTransition.WITHDRAW: (NoticeStatus.DRAFT, NoticeStatus.PUBLISHED),
    },
    status_labels=NoticeStatus,
    transition_labels=NoticeTransition,
)


class VoteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class VoteTransition(models.TextChoices):
    CLOSE = "close", _("Close the vote")


VOTE_MACHINE = StateMachine(
    allowed_from={VoteTransition.CLOSE: (VoteStatus.OPEN,)},
    status_labels=VoteStatus,
    transition_labels=VoteTransition,
)


class Choice(models.TextChoices):
    AGREE = "agree", _("Agree")
    OBJECT = "object", _("Object")
    ABSTAIN = "abstain", _("Abstain")
    UNREACHABLE = "unreachable", _("Unreachable")


class Channel(models.TextChoices):
    PAPER = "paper", _("Written consent entered by staff")
    PORTAL = "portal", _("The owner in the portal")
    PROXY = "proxy", _("A proxy with written authorisation")


class Stage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONSULTING = "consulting", _("Consulting owners")
    CONSENT = "consent", _("Consent reached")
    NOTICE = "notice", _("Public notice")
    FILED = "filed", _("Approval filed")
    CONSTRUCTION = "construction", _("Under construction")
    IN_SERVICE = "in_service", _("In service")


STAGE_ORDER = tuple(Stage)


class StageTransition(models.TextChoices):
    CONSULT = "consult", _("Start consulting owners")
    REACH_CONSENT = "reach_consent", _("Record consent reached")
    POST_NOTICE = "post_notice", _("Post the public notice")
    FILE_APPROVAL = "file_approval", _("File for approval")
    START_CONSTRUCTION = "start_construction", _("Start construction")
    OPEN_SERVICE = "open_service", _("Put into service")


STAGE_TARGET = {
    StageTransition.CONSULT: Stage.CONSULTING,
    StageTransition.REACH_CONSENT: Stage.CONSENT,
    StageTransition.POST_NOTICE: Stage.NOTICE,
    StageTransition.FILE_APPROVAL: Stage.FILED,
    StageTransition.START_CONSTRUCTION: Stage.CONSTRUCTION,
    StageTransition.OPEN_SERVICE: Stage.IN_SERVICE,
}

PROJECT_MACHINE = StateMachine(
    allowed_from={
        StageTransition.CONSULT: (Stage.PROPOSED,),
        StageTransition.REACH_CONSENT: (Stage.CONSULTING,),
        StageTransition.POST_NOTICE: (Stage.CONSENT,),
        StageTransition.FILE_APPROVAL: (Stage.NOTICE,),
        StageTransition.START_CONSTRUCTION: (Stage.FILED,),
        StageTransition.OPEN_SERVICE: (Stage.CONSTRUCTION,),
    },
    status_labels=Stage,
    transition_labels=StageTransition,
    field="stage",
)


class ObjectionReason(models.TextChoices):
    LIGHT = "light", _("Daylight")
    NOISE = "noise", _("Noise")
    ACCESS = "access", _("Access and passage")
    COST = "cost", _("Cost")
    OTHER = "other", _("Other")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SETTLED = "settled", _("Settled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
