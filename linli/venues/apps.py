from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "linli.venues"
    label = "venues"
    verbose_name = _("Venues and services")

    def ready(self) -> None:
        from linli.venues import permissions  # noqa: F401  (grants and scopes)
        from linli.venues.hooks import register_all

        register_all()
