"""The project's URLs plus a view that fails, to see the 500 page."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns


def boom(request):
    raise RuntimeError("une panne")


urlpatterns = [*urlpatterns, path("panne/", boom), path("agents/panne/", boom)]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
