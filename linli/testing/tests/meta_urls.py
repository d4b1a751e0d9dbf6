"""A small URL configuration with broken views, to prove the persona walk catches each kind
of problem (`test_helpers.py`)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path


def leaks_a_phone(request: HttpRequest, n: int) -> HttpResponse:
    return HttpResponse("<p>王建国 13900000001</p>")


def crashes(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def shows_a_mask_and_a_birth_date(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"citizen_id": "3210**********0499", "birth_date": "1970-11-30"})


def fine(request: HttpRequest, n: int) -> HttpResponse:
    return HttpResponse("ok")


def accepts_anything(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        raise ValueError("bad input reached the database")
    return HttpResponse('<form method="post"><input name="room"></form>')


app_name = "meta"
urlpatterns = [
    path("leak/<int:n>/", leaks_a_phone, name="leak"),
    path("crash/", crashes, name="crash"),
    path("mask/", shows_a_mask_and_a_birth_date, name="mask"),
    path("fine/<int:n>/", fine, name="fine"),
    path("form/", accepts_anything, name="form"),
    path("uncovered/<int:n>/", fine, name="uncovered"),
]
