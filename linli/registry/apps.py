from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "linli.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from linli.core.api import register_router
        from linli.registry.api import router as api_router
        from linli.registry.api_import import router as api_import_router

        register_router("/registry/", api_router)
        register_router("/registry/import/", api_import_router)

        from linli.core.navigation import register_nav
        from linli.registry import permissions

        register_nav(_("Residents"), "registry:residents", permissions.VIEW_RESIDENT, order=10)
        register_nav(_("Grids"), "registry:grids", permissions.VIEW_PLACES, order=20)
        register_nav(_("Import"), "registry:import", permissions.IMPORT, order=90)
        register_nav(_("My record"), "registry:my_record", permissions.OWN_RECORD, order=5)

        from linli.registry import figures, panels  # issue 14: resident page, cockpit

        panels.register()
        figures.register()

        from linli.core.pii import register_protected
        from linli.registry.models import ImportBatch, Resident

        register_protected(
            Resident,
            encrypted="citizen_id_encrypted",
            hash_field="citizen_id_hash",
            kind="citizen_id",
        )
        register_protected(
            Resident, encrypted="phone_encrypted", hash_field="phone_hash", kind="phone"
        )
        register_protected(ImportBatch, encrypted="rows_encrypted")

        from linli.registry import hub  # the hub, search and household page (core.hooks)

        hub.register()
