from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from guichet.core.sessions import session_mark_sign_in

        user_logged_in.connect(session_mark_sign_in, dispatch_uid="guichet-session-sign-in")
