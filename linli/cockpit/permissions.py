"""Who reads the cockpit (issue 14): the community's leadership (admin, Party organiser),
the subdistrict viewer and the district viewer, each over the communities of their reach.
The community admin also generates a monthly report on demand; the task generates them all
on the 1st."""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role

VIEW = "cockpit.view"  # the cockpit, the big screen, communities side by side, the reports
GENERATE_REPORT = "cockpit.generate_report"

for _role in (
    Role.COMMUNITY_ADMIN,
    Role.PARTY_ORGANISER,
    Role.SUBDISTRICT_VIEWER,
    Role.DISTRICT_VIEWER,
):
    grant(_role, VIEW)
grant(Role.COMMUNITY_ADMIN, GENERATE_REPORT)


def _register_scopes() -> None:
    from linli.cockpit.models import MonthlyReport

    register_scope(MonthlyReport, community="community_id")


_register_scopes()
