"""What each role may do at the new-employment workers' station, and how its rows map to scope.

- The community admin runs the station: registers workers, records visits and canteen meals,
  opens the summer class, verifies or rejects safety reports (which pays the points).
- The Party organiser (new-employment groups are Party-building work) and the subdistrict
  viewer see workers (phones masked), visits, meals and reports, read-only.
- **Children's data** (the summer class's enrolments: names, birth dates, health notes) only to
  the class staff. We chose the **care worker** role as the class staff: care workers already
  look after children in the infant day-care and are trained for it; the community admin sees
  the class's dates and how many places are taken, never the children.
- A resident registered as a worker files safety reports from his phone and sees his own.
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.riders.models import (
    CanteenMeal,
    Enrolment,
    SafetyReport,
    Station,
    StationVisit,
    SummerClass,
    Worker,
)

VIEW = "riders.view"  # workers, visits, meals, reports, class figures
MANAGE = "riders.manage"  # register, record visits and meals, open classes, verify reports
CLASS_STAFF = "riders.class_staff"  # the summer class's children
EXPORT = "riders.export"
PORTAL = "riders.portal"  # a worker's own safety reports
FIGURES = "riders.figures"  # headline figures: cockpit, monthly report (issue 14)

grant(Role.COMMUNITY_ADMIN, VIEW, MANAGE, EXPORT)
grant(Role.PARTY_ORGANISER, VIEW)
grant(Role.SUBDISTRICT_VIEWER, VIEW)
grant(Role.CARE_WORKER, CLASS_STAFF)
grant(Role.RESIDENT, PORTAL)

register_scope(Station, community="community_id")
register_scope(Worker, community="community_id", household="resident__household_id")
register_scope(StationVisit, community="station__community_id")
register_scope(CanteenMeal, community="station__community_id")
register_scope(SummerClass, community="community_id")
register_scope(Enrolment, community="summer_class__community_id")
register_scope(SafetyReport, community="community_id", household="worker__resident__household_id")

# The cockpit's readers (issue 14): community leadership, the subdistrict and the district.
for _role in (
    Role.COMMUNITY_ADMIN,
    Role.PARTY_ORGANISER,
    Role.SUBDISTRICT_VIEWER,
    Role.DISTRICT_VIEWER,
):
    grant(_role, FIGURES)
