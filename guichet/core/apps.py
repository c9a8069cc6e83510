from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from guichet.core import checks  # noqa: F401  (registers the production checks)
        from guichet.core.sessions import session_mark_sign_in, session_restore_drafts

        user_logged_in.connect(session_mark_sign_in, dispatch_uid="guichet-session-sign-in")
        user_logged_in.connect(session_restore_drafts, dispatch_uid="guichet-session-drafts")
