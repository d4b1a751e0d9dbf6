from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from linli.core.api import api
from linli.registry.views import home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("linli.accounts.urls")),
    path("registry/", include("linli.registry.urls")),
    path("audit/", include("linli.core.urls")),
    path("party/", include("linli.party.urls")),
    path("hotline/", include("linli.hotline.urls")),
    path("open311/", include("linli.open311.urls")),
    path("volunteers/", include("linli.volunteers.urls")),
    path("riders/", include("linli.riders.urls")),
    path("", home, name="home"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
