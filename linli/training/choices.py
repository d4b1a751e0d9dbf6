"""Enumerations and the state machine of the cadre training base (issue 10 item 7).

A class moves enquiry → confirmed → in progress → completed, or to cancelled from enquiry or
confirmed, only through `services.class_transition` (`linli.core.states`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine


class CourseFormat(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    SITE_VISIT = "site_visit", _("Site visit")
    CASE_STUDY = "case_study", _("Case study")
    WORKSHOP = "workshop", _("Workshop")


class LecturerKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class ClassStatus(models.TextChoices):
    ENQUIRY = "enquiry", _("Enquiry")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ClassTransition(models.TextChoices):
    CONFIRM = "confirm", _("Confirm")
    START = "start", _("Start")
    COMPLETE = "complete", _("Complete")
    CANCEL = "cancel", _("Cancel")


CLASS_MACHINE = StateMachine(
    field="status",
    status_labels=ClassStatus,
    transition_labels=ClassTransition,
    allowed_from={
        ClassTransition.CONFIRM: (ClassStatus.ENQUIRY,),
        ClassTransition.START: (ClassStatus.CONFIRMED,),
        ClassTransition.COMPLETE: (ClassStatus.IN_PROGRESS,),
        ClassTransition.CANCEL: (ClassStatus.ENQUIRY, ClassStatus.CONFIRMED),
    },
)

CLASS_STATUS_AFTER: dict[str, str] = {
    ClassTransition.CONFIRM: ClassStatus.CONFIRMED,
    ClassTransition.START: ClassStatus.IN_PROGRESS,
    ClassTransition.COMPLETE: ClassStatus.COMPLETED,
    ClassTransition.CANCEL: ClassStatus.CANCELLED,
}

# A class's timetable, lodging, meals and roster may change only while it is being planned or
# running; a completed or cancelled class is history.
EDITABLE = (ClassStatus.ENQUIRY, ClassStatus.CONFIRMED, ClassStatus.IN_PROGRESS)
# Classes whose trainees count as visits (an enquiry may never come; a cancelled class did not).
COUNTED = (ClassStatus.CONFIRMED, ClassStatus.IN_PROGRESS, ClassStatus.COMPLETED)

STATUS_TONES: dict[str, str] = {
    ClassStatus.ENQUIRY: "yellow",
    ClassStatus.CONFIRMED: "blue",
    ClassStatus.IN_PROGRESS: "green",
    ClassStatus.COMPLETED: "secondary",
    ClassStatus.CANCELLED: "red",
}

# The 31 provincial-level divisions of mainland China, for a class's origin.
PROVINCES: tuple[str, ...] = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
)  # fmt: skip
