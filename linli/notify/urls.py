from django.urls import path

from linli.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("m/<int:notification_id>/", views.open_message, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("large-type/", views.large_type, name="large_type"),
    path("push/", views.push_subscription, name="push"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("notices/", views.notices, name="notices"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<uuid:public_id>/", views.notice_detail, name="notice"),
    path("notices/<uuid:public_id>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("failures/", views.failures, name="failures"),
]
