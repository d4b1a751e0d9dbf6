from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "linli.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        from linli.deliberation import hooks, permissions  # noqa: F401  (declarations)

        hooks.register()
