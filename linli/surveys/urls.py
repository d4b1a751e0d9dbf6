from django.urls import path

from linli.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.survey_new, name="survey_new"),
    path("mine/", views.mine, name="mine"),
    path("wellbeing/", views.wellbeing, name="wellbeing"),
    path("s/<uuid:public_id>/", views.survey_detail, name="survey"),
    path("s/<uuid:public_id>/answer/", views.answer, name="answer"),
    path("s/<uuid:public_id>/paper/", views.paper, name="paper"),
    path("s/<uuid:public_id>/export.xlsx", views.survey_export, name="export"),
    path("followups/<int:followup_id>/", views.followup, name="followup"),
]
