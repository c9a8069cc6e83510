"""The agents' pages under /agents/: one urls.py per procedure
(guichet/interfaces/agents/<procedure>/urls.py), all in the « agents » namespace."""

from django.urls import include, path

from guichet.interfaces.agents import views

app_name = "agents"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("guichet.interfaces.agents.sign_in.urls")),
    # Front desk: client file and power of attorney (issue 4, rule P8).
    path("accueil/", include("guichet.interfaces.agents.frontdesk.urls")),
    # « Mon agenda », the fund's side: agenda, preparatory calls, check-in (issue 17).
    path("agenda/", include("guichet.interfaces.agents.agenda.urls")),
    # Carte Vitale orders to review (issue 7).
    path("cartes-vitale/", include("guichet.interfaces.agents.cards.urls")),
    # Back-office cases (issue 6, rules O6–O7).
    path("affaires/", include("guichet.interfaces.agents.cases.urls")),
    # « Espace d'échanges »: the fund's inbox (issue 19, rules ECH6–ECH11).
    path("echanges/", include("guichet.interfaces.agents.exchanges.urls")),
    # « Modifier mes coordonnées bancaires »: front desk and back office (issue 18, SIT9, SIT11).
    path("", include("guichet.interfaces.agents.situation.urls")),
]
