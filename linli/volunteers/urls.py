from django.urls import path

from linli.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("teams/", views.teams, name="teams"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:team_id>/", views.team_detail, name="team"),
    path("people/", views.volunteer_list, name="volunteers"),
    path("people/new/", views.volunteer_new, name="volunteer_new"),
    path("people/<uuid:public_id>/", views.volunteer_detail, name="volunteer"),
    path(
        "people/<uuid:public_id>/certificate/",
        views.volunteer_certificate,
        name="certificate",
    ),
    path("activities/", views.activities, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("activities/<int:activity_id>/signup/", views.activity_signup, name="signup"),
    path("activities/<int:activity_id>/checkin/", views.activity_checkin, name="checkin"),
    path("activities/<int:activity_id>/scan/<str:token>/", views.self_check, name="self_check"),
    path("signups/<uuid:public_id>/cancel/", views.signup_cancel, name="signup_cancel"),
    path("signups/<uuid:public_id>/<str:step>/", views.signup_step, name="signup_step"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("ledger/<int:account_id>/", views.ledger, name="ledger"),
    path("me/", views.me, name="me"),
    path("store/", views.store, name="store"),
    path("store/new/", views.store_item_new, name="store_item_new"),
    path("store/<int:item_id>/edit/", views.store_item_edit, name="store_item_edit"),
    path("store/<int:item_id>/redeem/", views.redeem, name="redeem"),
    path(
        "redemptions/<uuid:public_id>/cancel/",
        views.redemption_cancel,
        name="redemption_cancel",
    ),
    path("store/counter/", views.counter, name="counter"),
    path("export/<str:what>.xlsx", views.export, name="export"),
]
