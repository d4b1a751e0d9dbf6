from django.contrib import admin
from django.urls import include, path

from linli.core.api import api
from linli.hub.views import home

# Uploaded photos are never served as plain media files, not even in debug: each app serves
# them through a view that checks the actor's scope (e.g. hotline:photo).
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
    path("deliberation/", include("linli.deliberation.urls")),
    path("care/", include("linli.care.urls")),
    path("training/", include("linli.training.urls")),
    path("nursery/", include("linli.nursery.urls")),
    path("jobs/", include("linli.jobs.urls")),
    path("venues/", include("linli.venues.urls")),
    path("surveys/", include("linli.surveys.urls")),
    path("cockpit/", include("linli.cockpit.urls")),
    path("notify/", include("linli.notify.urls")),
    path("hub/", include("linli.hub.urls")),
    path("", home, name="home"),
]
