from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from linli.core.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("linli.accounts.urls")),
    path("registry/", include("linli.registry.urls")),
    path("", include("linli.core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
