"""Enumerations of the registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Tenure(models.TextChoices):
    OWNER = "owner", _("Owner")
    TENANT = "tenant", _("Tenant")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Living here")
    VACATED = "vacated", _("Moved out")


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", _("Living here")
    MOVED_OUT = "moved_out", _("Moved out")


class HouseholdTransition(models.TextChoices):
    MOVE_OUT = "move_out", _("Household moves out")


class ResidentTransition(models.TextChoices):
    MOVE_OUT = "move_out", _("Move out")


# Moving in creates a row (services.household_create / resident_create); moving out is the one
# transition, through services.household_move_out / resident_move_out.
HOUSEHOLD_MACHINE = StateMachine(
    allowed_from={HouseholdTransition.MOVE_OUT: (HouseholdStatus.ACTIVE,)},
    status_labels=HouseholdStatus,
    transition_labels=HouseholdTransition,
)
RESIDENT_MACHINE = StateMachine(
    allowed_from={ResidentTransition.MOVE_OUT: (ResidentStatus.ACTIVE,)},
    status_labels=ResidentStatus,
    transition_labels=ResidentTransition,
)


class Relation(models.TextChoices):
    HEAD = "head", _("Household head")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER = "other", _("Other")


class DisabilityLevel(models.TextChoices):
    NONE = "none", _("None")
    GRADE_1 = "1", _("Grade 1 (most severe)")
    GRADE_2 = "2", _("Grade 2")
    GRADE_3 = "3", _("Grade 3")
    GRADE_4 = "4", _("Grade 4")


class Tag(models.TextChoices):
    """Tags of BRIEF R1. ELDERLY, OVER_80, INFANT and DISABLED derive from birth date and
    disability level; the others are recorded."""

    ELDERLY = "elderly", _("Elderly (60+)")
    OVER_80 = "over_80", _("80+")
    INFANT = "infant", _("Infant (0-3)")
    DISABLED = "disabled", _("Disabled or semi-disabled")
    LOW_INCOME = "low_income", _("Low-income / hardship")
    UNEMPLOYED = "unemployed", _("Unemployed")
    LAND_LOST = "land_lost", _("Land-lost farmer")
    PARTY_MEMBER = "party_member", _("Party member")
    NEW_EMPLOYMENT = "new_employment", _("New-employment worker")


# Recorded tags and the boolean field that holds each.
RECORDED_TAG_FIELDS: dict[str, str] = {
    Tag.LOW_INCOME: "is_low_income",
    Tag.UNEMPLOYED: "is_unemployed",
    Tag.LAND_LOST: "is_land_lost_farmer",
    Tag.PARTY_MEMBER: "is_party_member",
    Tag.NEW_EMPLOYMENT: "is_new_employment_worker",
}


class MoveReason(models.TextChoices):
    RESETTLEMENT = "resettlement", _("Resettlement")
    PURCHASE = "purchase", _("Bought a home")
    RENTAL = "rental", _("Rented")
    BIRTH = "birth", _("Birth")
    MARRIAGE = "marriage", _("Marriage")
    RELOCATION = "relocation", _("Moved elsewhere")
    DEATH = "death", _("Death")
    IMPORT = "import", _("Registered by import")
    OTHER = "other", _("Other")
