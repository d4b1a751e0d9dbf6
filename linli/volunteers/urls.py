from django.urls import path  # noqa: F401  (patterns are added as the domain is built)

app_name = "volunteers"

urlpatterns: list = []
