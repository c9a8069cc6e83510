from django.urls import include, path

from guichet.interfaces.agents import views
from guichet.interfaces.agents.frontdesk import views as views_frontdesk
from guichet.interfaces.agents.sign_in import views as sign_in

app_name = "agents"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", sign_in.login_view, name="login"),
    path("connexion/code/", sign_in.login_code_view, name="login_code"),
    path("deconnexion/", sign_in.logout_view, name="logout"),
]

# Front desk: client file and power of attorney (issue 4, rule P8).
urlpatterns += [
    path("accueil/", views_frontdesk.lookup, name="frontdesk_lookup"),
    path(
        "accueil/dossier/<int:consultation_id>/",
        views_frontdesk.client_file,
        name="frontdesk_file",
    ),
    path(
        "accueil/dossier/<int:consultation_id>/procuration/verification/",
        views_frontdesk.power_use,
        name="frontdesk_power_use",
    ),
]

# Carte Vitale orders to review (issue 7).
urlpatterns += [path("cartes-vitale/", include("guichet.interfaces.agents.cards.urls"))]

# Back-office cases (issue 6, rules O6–O7).
urlpatterns += [path("affaires/", include("guichet.interfaces.agents.cases.urls"))]
