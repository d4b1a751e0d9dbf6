"""What each role may do with volunteers, organisations, activities and points, and how their
rows map to scope.

- Everyone on the community's staff (and the subdistrict, read-only) sees organisations, teams,
  activities and leaderboards; volunteer records (with masked phones) only the community admin,
  the Party organiser and the subdistrict viewer.
- The community admin manages everything: the incubation pipeline, teams, volunteers, store
  items, any activity's participants, points adjustments (audited), the store counter, exports.
- Party organisers and volunteer team leaders (the `volunteer` role) post activities they
  organise and run the check-in of *those* activities only (selectors narrow to
  `organiser = the actor`).
- Residents use the portal: sign up, their own points and history, the store. A household
  grant would reach the whole household, so the portal selectors narrow further to the signed-in
  resident himself: a volunteer sees only his own ledger.
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.volunteers.models import (
    Activity,
    Award,
    EarningRule,
    PointsAccount,
    PointsEntry,
    PointsPolicy,
    Redemption,
    Signup,
    SocialOrganisation,
    StoreItem,
    Team,
    Training,
    Volunteer,
)

VIEW = "volunteers.view"  # organisations, teams, activities, leaderboards, store items
VIEW_VOLUNTEERS = "volunteers.view_volunteers"  # volunteer records and their service history
MANAGE = "volunteers.manage"  # pipeline, teams, volunteers, any activity, store items, policy
RUN_ACTIVITIES = "volunteers.run_activities"  # post activities and run those one organises
VIEW_LEDGER = "volunteers.view_ledger"  # anyone's points ledger
ADJUST_POINTS = "volunteers.adjust_points"
STORE_COUNTER = "volunteers.store_counter"
EXPORT = "volunteers.export"
PORTAL = "volunteers.portal"  # a resident's own sign-ups, points and redemptions
FIGURES = "volunteers.figures"  # headline figures: cockpit, monthly report (issue 14)

grant(
    Role.COMMUNITY_ADMIN,
    VIEW,
    VIEW_VOLUNTEERS,
    MANAGE,
    RUN_ACTIVITIES,
    VIEW_LEDGER,
    ADJUST_POINTS,
    STORE_COUNTER,
    EXPORT,
)
grant(Role.PARTY_ORGANISER, VIEW, VIEW_VOLUNTEERS, RUN_ACTIVITIES)
grant(Role.VOLUNTEER, VIEW, RUN_ACTIVITIES)
grant(Role.GRID_WORKER, VIEW)
# Service centre staff hold residents' activities in the centre's venues and run their check-in.
grant(Role.SERVICE_STAFF, VIEW, RUN_ACTIVITIES)
grant(Role.CARE_WORKER, VIEW)
grant(Role.SUBDISTRICT_VIEWER, VIEW, VIEW_VOLUNTEERS)
grant(Role.RESIDENT, PORTAL)

for _model in (SocialOrganisation, Team, Activity, StoreItem, PointsPolicy, EarningRule):
    register_scope(_model, community="community_id")
register_scope(Volunteer, community="community_id", household="resident__household_id")
register_scope(PointsAccount, community="community_id", household="resident__household_id")
register_scope(PointsEntry, community="community_id", household="account__resident__household_id")
register_scope(Redemption, community="community_id", household="account__resident__household_id")
register_scope(
    Signup,
    community="activity__community_id",
    household="resident__household_id",
)
register_scope(Training, community="volunteer__community_id")
register_scope(Award, community="volunteer__community_id")

# The cockpit's readers (issue 14): community leadership, the subdistrict and the district.
for _role in (
    Role.COMMUNITY_ADMIN,
    Role.PARTY_ORGANISER,
    Role.SUBDISTRICT_VIEWER,
    Role.DISTRICT_VIEWER,
):
    grant(_role, FIGURES)
