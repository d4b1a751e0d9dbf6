from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "linli.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from linli.core import audit_permissions
        from linli.core.navigation import register_nav

        register_nav(_("Audit trail"), "core:audit", audit_permissions.VIEW_AUDIT, order=95)
