from django.urls import path

from linli.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("activate/", views.activate_view, name="activate"),
    path("password-reset/", views.password_reset_view, name="password_reset"),
    path("sign-in-code/", views.sign_in_code_view, name="sign_in_code"),
    path("invite/<uuid:public_id>/", views.invite_view, name="invite"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/new/", views.token_new_view, name="token_new"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("service-accounts/new/", views.service_account_new_view, name="service_account_new"),
]
