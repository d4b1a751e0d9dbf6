from django.urls import path

from linli.nursery import views

app_name = "nursery"

urlpatterns = [
    path("", views.home, name="home"),
    path("classes/<int:class_id>/", views.class_day, name="class_day"),
    path("children/", views.children, name="children"),
    path("children/enrol/", views.enrol, name="enrol"),
    path("children/<uuid:public_id>/", views.child, name="child"),
    path(
        "children/<uuid:public_id>/people/<int:person_id>/photo/",
        views.pickup_photo,
        name="pickup_photo",
    ),
    path("my/", views.mine, name="mine"),
]
