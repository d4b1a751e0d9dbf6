from django.urls import path

from linli.riders import views

app_name = "riders"

urlpatterns = [
    path("", views.home, name="home"),
    path("workers/", views.worker_list, name="workers"),
    path("workers/new/", views.worker_new, name="worker_new"),
    path("workers/<uuid:public_id>/", views.worker_detail, name="worker"),
    path("canteen/", views.canteen, name="canteen"),
    path("class/", views.classes, name="classes"),
    path("class/<int:class_id>/", views.class_detail, name="class"),
    path(
        "enrolments/<uuid:public_id>/withdraw/",
        views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path("reports/", views.report_list, name="reports"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report"),
    path("reports/<uuid:public_id>/photo/", views.report_photo, name="report_photo"),
    path("report/", views.report_new, name="report_new"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("export/<str:what>.xlsx", views.export, name="export"),
]
