"""Who may browse the audit trail, and how audit rows map to scope (core's own declarations;
the engine itself is `linli.core.permissions`)."""

from linli.core.models import AuditEvent
from linli.core.permissions import grant, register_scope
from linli.core.roles import Role

VIEW_AUDIT = "core.view_audit"

grant(Role.COMMUNITY_ADMIN, VIEW_AUDIT)
register_scope(AuditEvent, community="community_id")
