"""« Arrêts de travail », included under /mes-demarches/arrets-de-travail/."""

from django.urls import path

from guichet.interfaces.web.work_stoppages import views as views_work_stoppages

urlpatterns = [path("", views_work_stoppages.work_stoppages, name="work_stoppages")]
