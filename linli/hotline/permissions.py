"""What each role may do at the request desk, and how its rows map to scope.

A grid worker works her grids' requests; a community admin all of the community's and the
desk's settings; a resident files, follows, rates, reopens and cancels his household's; a
Party organiser (the branch secretaries escalations reach) follows and acts on them; a
subdistrict viewer reads. Internal notes are for staff only.
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.hotline.models import (
    Category,
    DutyAssignment,
    GridEscalationContact,
    RequestEvent,
    RequestPhoto,
    ServiceRequest,
)

VIEW = "hotline.view"  # see requests in scope
VIEW_INTERNAL = "hotline.view_internal"  # internal notes, callers' masked phones, assignees
FILE = "hotline.file"  # file for one's own household through the portal, rate, reopen, cancel
WORK = "hotline.work"  # phone intake, accept, check in, resolve, notes, merge, record a rating
MANAGE = "hotline.manage"  # categories, duty roster, escalation contacts, reassignment
VIEW_RATES = "hotline.view_rates"  # the three rates, by grid and month
EXPORT = "hotline.export"  # rates to .xlsx
FIGURES = "hotline.figures"  # headline figures: cockpit, monthly report (issue 14)

grant(Role.COMMUNITY_ADMIN, VIEW, VIEW_INTERNAL, WORK, MANAGE, VIEW_RATES, EXPORT)
grant(Role.GRID_WORKER, VIEW, VIEW_INTERNAL, WORK, VIEW_RATES, EXPORT)
grant(Role.PARTY_ORGANISER, VIEW, VIEW_INTERNAL, WORK, VIEW_RATES)
grant(Role.RESIDENT, VIEW, FILE)
grant(Role.SUBDISTRICT_VIEWER, VIEW, VIEW_INTERNAL, VIEW_RATES, EXPORT)

register_scope(ServiceRequest, community="community_id", grid="grid_id", household="household_id")
register_scope(
    RequestEvent,
    community="request__community_id",
    grid="request__grid_id",
    household="request__household_id",
)
register_scope(
    RequestPhoto,
    community="request__community_id",
    grid="request__grid_id",
    household="request__household_id",
)
register_scope(Category, community="community_id")
register_scope(DutyAssignment, community="community_id", grid="grid_id")
register_scope(GridEscalationContact, community="community_id", grid="grid_id")

# The cockpit's readers (issue 14): community leadership, the subdistrict and the district.
for _role in (
    Role.COMMUNITY_ADMIN,
    Role.PARTY_ORGANISER,
    Role.SUBDISTRICT_VIEWER,
    Role.DISTRICT_VIEWER,
):
    grant(_role, FIGURES)
