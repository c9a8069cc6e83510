"""The project's URLs mounted under /autre/, to check that links follow the URL configuration."""

from django.urls import include, path

urlpatterns = [path("autre/", include("config.urls"))]
