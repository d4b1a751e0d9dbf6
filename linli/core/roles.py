"""The roles Linli knows. Which permissions each role holds is declared by each app's
`permissions.py`; how far each role reaches (community, grids, household, subdistrict) is fixed
here because the permission engine depends on it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNITY_ADMIN = "community_admin", _("Community admin")
    GRID_WORKER = "grid_worker", _("Grid worker")
    PARTY_ORGANISER = "party_organiser", _("Party organiser")
    CARE_WORKER = "care_worker", _("Care worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    RESIDENT = "resident", _("Resident")
    SUBDISTRICT_VIEWER = "subdistrict_viewer", _("Subdistrict viewer")
    DISTRICT_VIEWER = "district_viewer", _("District viewer")
    NURSERY_CARER = "nursery_carer", _("Day-care carer")
    JOBS_LEAD = "jobs_lead", _("Doorstep-jobs team lead")
    TRAINING_STAFF = "training_staff", _("Training base staff")
    SERVICE_STAFF = "service_staff", _("Service centre staff")


class Reach(models.TextChoices):
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grids")
    HOUSEHOLD = "household", _("Household")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    DISTRICT = "district", _("District")


ROLE_REACH: dict[str, str] = {
    Role.COMMUNITY_ADMIN: Reach.COMMUNITY,
    Role.GRID_WORKER: Reach.GRID,
    Role.PARTY_ORGANISER: Reach.COMMUNITY,
    Role.CARE_WORKER: Reach.COMMUNITY,
    Role.VOLUNTEER: Reach.COMMUNITY,
    Role.RESIDENT: Reach.HOUSEHOLD,
    Role.SUBDISTRICT_VIEWER: Reach.SUBDISTRICT,
    Role.DISTRICT_VIEWER: Reach.DISTRICT,
    Role.NURSERY_CARER: Reach.COMMUNITY,
    Role.JOBS_LEAD: Reach.COMMUNITY,
    Role.TRAINING_STAFF: Reach.COMMUNITY,
    Role.SERVICE_STAFF: Reach.COMMUNITY,
}
