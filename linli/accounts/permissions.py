"""Account-related permissions and scopes."""

from linli.accounts.models import Invitation
from linli.core.permissions import grant, register_scope
from linli.core.roles import Role

ISSUE_INVITATION = "accounts.issue_invitation"

grant(Role.COMMUNITY_ADMIN, ISSUE_INVITATION)
grant(Role.GRID_WORKER, ISSUE_INVITATION)

register_scope(Invitation, community="household__community_id", grid="household__building__grid_id")
