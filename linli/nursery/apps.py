from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NurseryConfig(AppConfig):
    name = "linli.nursery"
    label = "nursery"
    verbose_name = _("Infant day-care")

    def ready(self) -> None:
        from linli.core.api import register_router
        from linli.nursery.api import router as api_router

        register_router("/nursery/", api_router)

        from linli.core.demo_hooks import register_demo
        from linli.core.navigation import register_nav, register_subnav
        from linli.core.pii import register_protected
        from linli.nursery import hooks, permissions
        from linli.nursery.demo import build_demo
        from linli.nursery.models import PickupPerson

        register_nav(_("Day-care"), "nursery:home", permissions.VIEW, order=60)
        register_nav(_("My child at the day-care"), "nursery:mine", permissions.GUARDIAN, order=60)
        for key, label, url_name, perms in (
            ("home", _("Today"), "nursery:home", (permissions.VIEW,)),
            ("children", _("Children"), "nursery:children", (permissions.VIEW_CHILDREN,)),
        ):
            register_subnav("nursery", key, label, url_name, *perms, group_label=_("Day-care"))
        register_demo("nursery", build_demo, order=60)
        register_protected(
            PickupPerson, encrypted="phone_encrypted", hash_field="phone_hash", kind="phone"
        )
        hooks.register()
