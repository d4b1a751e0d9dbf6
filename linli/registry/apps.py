from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "linli.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from linli.registry import permissions  # noqa: F401  (declares grants and scopes)
