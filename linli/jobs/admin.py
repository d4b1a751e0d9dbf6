from django.contrib import admin

from linli.jobs.models import Firm


@admin.register(Firm)
class FirmAdmin(admin.ModelAdmin[Firm]):
    list_display = ("name", "product_line", "community", "active")
