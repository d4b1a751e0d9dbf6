from django.urls import path

from linli.training import views

app_name = "training"

urlpatterns = [
    path("", views.classes, name="classes"),
    path("classes/new/", views.class_new, name="class_new"),
    path("classes/<uuid:public_id>/", views.class_detail, name="class"),
    path(
        "classes/<uuid:public_id>/confirmation/",
        views.class_confirmation,
        name="confirmation",
    ),
    path("sessions/<int:session_id>/check-in/", views.session_checkin, name="checkin"),
    path("courses/", views.courses, name="courses"),
    path("lecturers/", views.lecturers, name="lecturers"),
    path("lodging/", views.lodging, name="lodging"),
    path("totals/", views.totals, name="totals"),
    path("export/<str:what>.xlsx", views.export, name="export"),
]
