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
]
