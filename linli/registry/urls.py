from django.urls import path

from linli.registry import urls_import, views

app_name = "registry"

urlpatterns = [
    path("residents/", views.resident_list, name="residents"),
    path("residents/<uuid:public_id>/", views.resident_detail, name="resident"),
    path("residents/<uuid:public_id>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<uuid:public_id>/move-out/", views.resident_move_out, name="resident_move_out"),
    path(
        "residents/<uuid:public_id>/reveal/<str:field>/",
        views.resident_reveal,
        name="resident_reveal",
    ),
    path("me/", views.my_record, name="my_record"),
    path("me/download.<str:fmt>", views.my_record_download, name="my_record_download"),
    path("households/<uuid:public_id>/", views.household_detail, name="household"),
    path("households/<uuid:public_id>/edit/", views.household_edit, name="household_edit"),
    path("households/<uuid:public_id>/move-in/", views.household_move_in, name="household_move_in"),
    path(
        "households/<uuid:public_id>/move-out/", views.household_move_out, name="household_move_out"
    ),
    path("grids/", views.grid_list, name="grids"),
    path("grids/<int:grid_id>/", views.grid_detail, name="grid"),
    path("buildings/<int:building_id>/", views.building_detail, name="building"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
]

# The import wizard and the export live in their own module.
urlpatterns += urls_import.urlpatterns
