from django.urls import path

from linli.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.home, name="home"),
    path("firms/", views.firms, name="firms"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:order_id>/", views.order, name="order"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("teams/", views.teams, name="teams"),
    path("workers/", views.workers, name="workers"),
    path("workers/outreach/", views.outreach, name="outreach"),
    path("workers/<uuid:public_id>/", views.worker, name="worker"),
    path("statements/", views.statements, name="statements"),
    path("statements/<uuid:public_id>/", views.statement, name="statement"),
    path("stats/", views.stats, name="stats"),
    path("me/", views.me, name="me"),
    path("me/statements/<uuid:public_id>/", views.my_statement, name="my_statement"),
]
