from django.urls import path

from guichet.interfaces.fcsandbox import views

app_name = "fcsandbox"

urlpatterns = [
    path("", views.root, name="root"),
    path(".well-known/openid-configuration", views.discovery, name="discovery"),
    path("authorize", views.authorize, name="authorize"),
    path("token", views.token, name="token"),
    path("userinfo", views.userinfo, name="userinfo"),
    path("jwks", views.jwks, name="jwks"),
    path("session/end", views.end_session, name="end_session"),
]
