from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "linli.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from linli.core import audit_permissions  # noqa: F401
