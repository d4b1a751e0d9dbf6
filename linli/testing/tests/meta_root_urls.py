from django.urls import include, path

urlpatterns = [path("meta/", include("linli.testing.tests.meta_urls"))]
