"""Read-only rules of surveys shared by services and selectors: who a survey is aimed at,
the receipt hash that records that someone answered, and which surveys a resident may open."""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from linli.core import pii
from linli.core.errors import NotFound
from linli.core.permissions import Actor, communities_for
from linli.registry.choices import ResidentStatus
from linli.registry.models import Resident
from linli.registry.selectors import tag_q
from linli.surveys.choices import SurveyKind, Unit
from linli.surveys.models import ReceiptSet, Survey
from linli.surveys.permissions import ANSWER

RECEIPT_HASH_LEN = 32


def receipt_hash(survey: Survey, resident: Resident) -> str:
    """The keyed hash that records that this resident (or his household) answered."""
    subject = (
        f"household:{resident.household_id}"
        if survey.unit == Unit.HOUSEHOLD
        else f"resident:{resident.pk}"
    )
    return pii.lookup_hash("survey-receipt", f"{survey.pk}:{subject}")[:RECEIPT_HASH_LEN]


def has_answered(survey: Survey, resident: Resident, receipts: str | None = None) -> bool:
    text = (
        receipts
        if receipts is not None
        else (
            ReceiptSet.objects.filter(survey_id=survey.pk).values_list("hashes", flat=True).first()
            or ""
        )
    )
    digest = receipt_hash(survey, resident)
    hashes = text.split("\n") if text else []
    at = bisect.bisect_left(hashes, digest)
    return at < len(hashes) and hashes[at] == digest


def eligible_q(survey: Survey, today: dt.date | None = None) -> Q:
    """The residents a survey is aimed at."""
    q = Q(community_id=survey.community_id, status=ResidentStatus.ACTIVE)
    if survey.grid_id:
        q &= Q(household__building__grid_id=survey.grid_id)
    if survey.building_id:
        q &= Q(household__building_id=survey.building_id)
    if survey.tag:
        q &= tag_q(survey.tag, today)
    return q


def answerable_get(actor: Actor, survey_public_id: Any) -> Survey:
    try:
        return Survey.objects.exclude(kind=SurveyKind.FOLLOWUP).get(
            community_id__in=list(communities_for(actor, ANSWER)),
            published=True,
            public_id=survey_public_id,
        )
    except (Survey.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("Not found.")) from exc
