"""Pages of the resident import wizard and the Excel export. Included by
`linli/registry/urls.py` (app_name "registry"), so the names are `registry:import`, etc."""

from django.urls import path

from linli.registry import views_import

urlpatterns = [
    path("import/", views_import.import_start, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/<uuid:public_id>/", views_import.import_preview, name="import_preview"),
    path("import/<uuid:public_id>/commit/", views_import.import_commit, name="import_commit"),
    path("import/<uuid:public_id>/result/", views_import.import_result, name="import_result"),
    path("import/<uuid:public_id>/errors.xlsx", views_import.import_errors, name="import_errors"),
    path("residents/export.xlsx", views_import.residents_export, name="residents_export"),
]
