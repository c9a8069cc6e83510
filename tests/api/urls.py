"""Only the API, so that its tests do not depend on the other interfaces' URLs."""

from django.urls import path

from guichet.interfaces.api.api import api

urlpatterns = [path("api/v1/", api.urls)]
