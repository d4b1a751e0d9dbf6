from django.urls import path

from linli.cockpit import views

app_name = "cockpit"

urlpatterns = [
    path("", views.index, name="index"),
    path("screen/", views.screen, name="screen"),
    path("compare/", views.compare, name="compare"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_id>.pdf", views.report_pdf, name="report_pdf"),
]
