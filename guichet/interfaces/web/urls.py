"""The insured's pages: one urls.py per procedure (guichet/interfaces/web/<procedure>/urls.py),
all in the « web » namespace; the paths are the site's public addresses and never change."""

from django.urls import include, path

app_name = "web"

urlpatterns = [
    path("", include("guichet.interfaces.web.account.urls")),
    path("", include("guichet.interfaces.web.sign_in.urls")),
    path("", include("guichet.interfaces.web.pages.urls")),
    path("", include("guichet.interfaces.web.code_reset.urls")),
    path("", include("guichet.interfaces.web.powers.urls")),
    path("", include("guichet.interfaces.web.certificates.urls")),
    path("mes-demarches/carte-vitale/", include("guichet.interfaces.web.cards.urls")),
    path("mes-demarches/ceam/", include("guichet.interfaces.web.ceam.urls")),
    path(
        "mes-demarches/arrets-de-travail/",
        include("guichet.interfaces.web.work_stoppages.urls"),
    ),
    path("", include("guichet.interfaces.web.enrollment.urls")),
    path("", include("guichet.interfaces.web.complementary.urls")),
    path("", include("guichet.interfaces.web.appointments.urls")),
    # « Espace d'échanges »: writing to the fund and its answers (issue 19).
    path("ma-messagerie/", include("guichet.interfaces.web.exchanges.urls")),
    path("", include("guichet.interfaces.web.situation.urls")),
]
