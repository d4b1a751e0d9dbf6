from django.urls import path

from linli.core import views

app_name = "core"

urlpatterns = [
    path("", views.audit, name="audit"),
]
