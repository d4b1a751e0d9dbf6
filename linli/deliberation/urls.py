from django.urls import path

from linli.deliberation import views

app_name = "deliberation"

urlpatterns = [
    path("", views.home, name="home"),
    path("matters/", views.matter_list, name="matters"),
    path("matters/<uuid:public_id>/", views.matter_detail, name="matter"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<uuid:public_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:public_id>/check-in/", views.meeting_checkin, name="checkin"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<uuid:public_id>/", views.notice_detail, name="notice"),
    path("votes/", views.vote_list, name="votes"),
    path("votes/<uuid:public_id>/", views.vote_detail, name="vote"),
    path("votes/<uuid:public_id>/consent.xlsx", views.vote_export, name="vote_export"),
    path("elevators/", views.project_board, name="projects"),
    path("elevators/<uuid:public_id>/", views.project_detail, name="project"),
    path(
        "elevators/<uuid:public_id>/consent-form/", views.project_consent_form, name="consent_form"
    ),
    path("new/<slug:kind>/", views.new, name="new"),
    path("my/", views.portal, name="portal"),
    path("my/notices/<uuid:public_id>/", views.my_notice, name="my_notice"),
    path("my/votes/<uuid:public_id>/", views.my_vote, name="my_vote"),
]
