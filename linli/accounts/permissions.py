"""Account-related permissions and the audit trail's scope."""

from linli.accounts.models import Invitation
from linli.core.models import AuditEvent
from linli.core.permissions import grant, register_scope
from linli.core.roles import Role

VIEW_AUDIT = "core.view_audit"
ISSUE_INVITATION = "accounts.issue_invitation"

grant(Role.COMMUNITY_ADMIN, VIEW_AUDIT, ISSUE_INVITATION)
grant(Role.GRID_WORKER, ISSUE_INVITATION)

register_scope(AuditEvent, community="community_id")
register_scope(
    Invitation, community="household__community_id", grid="household__building__grid_id"
)
