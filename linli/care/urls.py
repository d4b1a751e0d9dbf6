from django.urls import path

from linli.care import views

app_name = "care"

urlpatterns = [
    path("", views.home, name="home"),
    path("elders/<uuid:public_id>/", views.elder, name="elder"),
    path("elders/<uuid:public_id>/edit/", views.elder_edit, name="elder_edit"),
    path("elders/<uuid:public_id>/assess/", views.assess, name="assess"),
    path("elders/<uuid:public_id>/plan/", views.plan_new, name="plan_new"),
    path("assessments/<uuid:public_id>/", views.assessment, name="assessment"),
    path("today/", views.today, name="today"),
    path("visits/<uuid:public_id>/", views.visit, name="visit"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<uuid:public_id>/", views.task, name="task"),
    path("households/<uuid:public_id>/log/", views.log_new, name="log_new"),
    path("board/", views.board, name="board"),
    path("daycare/", views.daycare, name="daycare"),
    path("apartments/", views.apartments, name="apartments"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("export/<str:what>.xlsx", views.export, name="export"),
    path("me/", views.me, name="me"),
    path("me/visits/<uuid:public_id>/rate/", views.rate, name="rate"),
]
