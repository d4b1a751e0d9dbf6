from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    """The resident hub at `/`, the staff search box and the menus by role: shared pages that
    show what every domain registers in `core.hooks` and `core.navigation`."""

    name = "linli.hub"
    label = "hub"
    verbose_name = _("Hub")
