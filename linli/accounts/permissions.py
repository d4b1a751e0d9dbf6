"""Account-related permissions and scopes."""

from linli.accounts.models import ApiToken, Invitation, ServiceAccount
from linli.core.permissions import grant, register_scope
from linli.core.roles import Role

ISSUE_INVITATION = "accounts.issue_invitation"
# Make, list and revoke one's own API tokens (staff; a resident has no use for the API).
USE_API_TOKENS = "accounts.use_api_tokens"
# Create service accounts of a community and manage their tokens.
MANAGE_SERVICE_ACCOUNTS = "accounts.manage_service_accounts"

grant(Role.COMMUNITY_ADMIN, ISSUE_INVITATION)
grant(Role.GRID_WORKER, ISSUE_INVITATION)

for _role in Role:
    if _role not in (Role.RESIDENT, Role.VOLUNTEER):
        grant(_role, USE_API_TOKENS)
grant(Role.COMMUNITY_ADMIN, MANAGE_SERVICE_ACCOUNTS)

register_scope(Invitation, community="household__community_id", grid="household__building__grid_id")
register_scope(ServiceAccount, community="community_id")
register_scope(ApiToken, community="user__service_account__community_id")
