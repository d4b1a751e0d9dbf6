from django.urls import path

from linli.hotline import views

app_name = "hotline"

urlpatterns = [
    path("", views.request_list, name="requests"),
    path("new/", views.staff_new, name="new"),
    path("lookup/", views.household_lookup, name="lookup"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("r/<uuid:public_id>/", views.request_detail, name="request"),
    path("r/<uuid:public_id>/<slug:action>/", views.request_action, name="action"),
    path("photos/<uuid:public_id>/", views.photo, name="photo"),
    path("portal/", views.portal, name="portal"),
    path("portal/new/", views.portal_new, name="portal_new"),
    path("rates/", views.rates, name="rates"),
    path("rates/export.xlsx", views.rates_export, name="rates_export"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/categories/setup/", views.categories_setup, name="categories_setup"),
    path("settings/categories/<int:category_id>/", views.category_edit, name="category_edit"),
    path("settings/roster/", views.roster_add, name="roster_add"),
    path("settings/roster/<int:duty_id>/remove/", views.roster_remove, name="roster_remove"),
    path("settings/contacts/", views.contact_set, name="contact_set"),
    path("board/<slug:code>/", views.board, name="board"),
]
