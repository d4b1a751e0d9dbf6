from django.urls import path

from linli.party import views

app_name = "party"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<int:org_id>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:org_id>/offices/new/", views.office_new, name="office_new"),
    path("offices/<int:office_id>/end/", views.office_end, name="office_end"),
    path("organisations/<int:org_id>/members/new/", views.member_new, name="member_new"),
    path("organisations/<int:org_id>/activities/new/", views.activity_new, name="activity_new"),
    path("members/", views.member_list, name="members"),
    path("members/<uuid:public_id>/", views.member_detail, name="member"),
    path("members/<uuid:public_id>/confirm/", views.member_confirm, name="member_confirm"),
    path(
        "members/<uuid:public_id>/transfer-out/",
        views.member_transfer_out,
        name="member_transfer_out",
    ),
    path(
        "members/<uuid:public_id>/transfer-in/", views.member_transfer_in, name="member_transfer_in"
    ),
    path("members/<uuid:public_id>/move/", views.member_move, name="member_move"),
    path("central/", views.central_list, name="centrals"),
    path("central/<uuid:public_id>/", views.central_detail, name="central"),
    path("central/<uuid:public_id>/<slug:what>/", views.central_link, name="central_link"),
    path("coverage/", views.coverage, name="coverage"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("activities/export.xlsx", views.activity_export, name="activity_export"),
    path("cards/", views.cards, name="cards"),
    path("cards/print/", views.cards_print, name="cards_print"),
    path("cards/households/<uuid:public_id>/", views.card_household, name="card"),
]
