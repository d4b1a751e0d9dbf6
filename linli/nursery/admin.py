from django.contrib import admin

from linli.nursery.models import NurseryClass


@admin.register(NurseryClass)
class NurseryClassAdmin(admin.ModelAdmin[NurseryClass]):
    list_display = ("name", "band", "capacity", "children_per_carer", "community")
