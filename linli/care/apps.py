from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CareConfig(AppConfig):
    name = "linli.care"
    label = "care"
    verbose_name = _("Elderly care")

    def ready(self) -> None:
        from linli.care.api import router as api_router
        from linli.core.api import register_router

        register_router("/care/", api_router)

        from linli.care import hooks, permissions, tasks  # noqa: F401  (declarations, huey)
        from linli.care.demo import build_demo
        from linli.care.services import on_resident_moved_out
        from linli.core.demo_hooks import register_demo
        from linli.core.navigation import register_nav, register_subnav
        from linli.registry.services import register_move_out_listener

        register_move_out_listener(on_resident_moved_out)
        register_nav(_("Elderly care"), "care:home", permissions.VIEW_REGISTER, order=40)
        register_nav(_("Visit tasks"), "care:tasks", permissions.WORK_TASKS, order=41)
        register_nav(_("My elderly care"), "care:me", permissions.PORTAL, order=42)
        for key, label, url_name, perms in (
            ("home", _("Elders"), "care:home", (permissions.VIEW_REGISTER,)),
            ("today", _("Today's visits"), "care:today", (permissions.MANAGE,)),
            ("tasks", _("Visit tasks"), "care:tasks", (permissions.WORK_TASKS,)),
            ("board", _("Board"), "care:board", (permissions.VIEW_BOARD,)),
            ("daycare", pgettext_lazy("care", "Day-care"), "care:daycare", (permissions.MANAGE,)),
            ("apartments", _("Apartments"), "care:apartments", (permissions.MANAGE,)),
            ("catalogue", _("Standards and catalogue"), "care:catalogue", (permissions.MANAGE,)),
        ):
            register_subnav("care", key, label, url_name, *perms, group_label=_("Elderly care"))
        register_demo("care", build_demo, order=60)
        hooks.register()

        from linli.care.models import Elder
        from linli.core.pii import register_protected

        register_protected(
            Elder,
            encrypted="emergency_phone_encrypted",
            hash_field="emergency_phone_hash",
            kind="phone",
        )
