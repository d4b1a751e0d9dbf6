from django.urls import path

from linli.venues import views

app_name = "venues"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.venue_new, name="venue_new"),
    path("<int:venue_id>/", views.venue_detail, name="venue"),
    path("<int:venue_id>/edit/", views.venue_edit, name="venue_edit"),
    path("<int:venue_id>/hours/", views.venue_hours, name="venue_hours"),
    path("<int:venue_id>/photo/", views.venue_photo, name="venue_photo"),
    path("<int:venue_id>/book/", views.book, name="book"),
    path("<int:venue_id>/series/", views.series_new, name="series_new"),
    path("<int:venue_id>/closures/new/", views.closure_new, name="closure_new"),
    path("series/<uuid:public_id>/", views.series_detail, name="series"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<uuid:public_id>/", views.booking_detail, name="booking"),
    path("bookings/<uuid:public_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("me/bookings/", views.my_bookings, name="my_bookings"),
    path("me/loans/", views.my_loans, name="my_loans"),
    path("me/services/", views.my_records, name="my_records"),
    path("kits/<int:kit_id>/", views.kit_detail, name="kit"),
    path("kits/items/<int:item_id>/borrow/", views.borrow, name="borrow"),
    path("loans/", views.loans, name="loans"),
    path("loans/<uuid:public_id>/return/", views.loan_return, name="loan_return"),
    path("services/", views.catalogue, name="catalogue"),
    path("services/new/", views.category_form, name="category_new"),
    path("services/<int:category_id>/edit/", views.category_form, name="category_edit"),
    path("services/providers/", views.providers, name="providers"),
    path("services/providers/new/", views.provider_form, name="provider_new"),
    path("services/providers/<int:provider_id>/edit/", views.provider_form, name="provider_edit"),
    path("services/schedules/new/", views.schedule_new, name="schedule_new"),
    path("records/", views.records, name="records"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/<uuid:public_id>/rate/", views.record_rate, name="record_rate"),
    path("utilisation/", views.utilisation, name="utilisation"),
    path("export/<str:what>.xlsx", views.export, name="export"),
]
