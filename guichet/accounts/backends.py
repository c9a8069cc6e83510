"""The authentication backend: Django's ModelBackend, loading the signed-in person with the user.

Every insured page reads `request.user.person`. On a web request the account and its person
come with the session row instead (guichet.accounts.sessions, which mirrors `get_user` below);
this is the read of the other callers (Django's own `auth.get_user`).
"""

from django.contrib.auth.backends import ModelBackend

from guichet.accounts.models import User

BACKEND = "guichet.accounts.backends.AccountBackend"


class AccountBackend(ModelBackend):
    def get_user(self, user_id: object) -> User | None:
        try:
            user = User.objects.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
