"""Open311 GeoReport v2 under `/open311/v2/`; every call takes a `.json` or `.xml` suffix."""

from django.urls import re_path

from linli.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^v2/discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.service_list, name="services"),
    re_path(r"^v2/services/(?P<code>[\w-]{1,40})" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(r"^v2/requests/(?P<request_id>[^/.]{1,40})" + FMT, views.request_one, name="request"),
    re_path(r"^v2/tokens/(?P<token_id>[^/.]{1,64})" + FMT, views.token, name="token"),
]
