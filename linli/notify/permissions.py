"""Who may do what with notifications and notices.

- Everyone signed in has an inbox and preferences (no permission needed: the inbox is his own).
- Community admins publish notices for their community (to the whole community, a grid, a
  building or a tag group), see read counts, and see failed text messages.
- Grid workers and Party organisers read the community's notices (staff list) and counts.
- Residents read the notices meant for them (their community, grid, building or tag group).
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.notify.models import Notice

PUBLISH = "notify.publish_notice"
VIEW_NOTICES = "notify.view_notices"  # the community's notices with read counts (staff)
READ_NOTICES = "notify.read_notices"  # the notices meant for the signed-in resident
SEE_FAILURES = "notify.see_failures"  # text messages that failed after every retry

grant(Role.COMMUNITY_ADMIN, PUBLISH, VIEW_NOTICES, SEE_FAILURES)
grant(Role.GRID_WORKER, VIEW_NOTICES)
grant(Role.PARTY_ORGANISER, VIEW_NOTICES)
grant(Role.SUBDISTRICT_VIEWER, VIEW_NOTICES)
grant(Role.RESIDENT, READ_NOTICES)

# Staff of the community (grid workers too) see all its notices: they are public to residents.
register_scope(Notice, community="community_id")
