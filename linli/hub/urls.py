from django.urls import path

from linli.hub import views

app_name = "hub"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("my-household/", views.my_household, name="my_household"),
]
