from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "linli.notify"
    label = "notify"
    verbose_name = _("Notifications and notices")

    def ready(self) -> None:
        from linli.core import notify
        from linli.core.api import register_router
        from linli.core.navigation import register_nav
        from linli.notify import hub, permissions, tasks  # noqa: F401  (declarations, huey tasks)
        from linli.notify.api import router as api_router
        from linli.notify.sink import record

        notify.register_sink(record)
        register_router("/notify/", api_router)
        register_nav(_("Notices"), "notify:notices", permissions.PUBLISH, order=70)
        register_nav(
            _("Failed messages"),
            "notify:failures",
            permissions.SEE_FAILURES,
            order=96,
            group="admin",
        )
        hub.register()
