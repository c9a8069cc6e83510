"""Records of the API tests: a family with payments, notifications and messages."""

from guichet.accounts.models import User
from guichet.notifications.models import Message, Notification
from tests.factories import InsuredUserFactory, PaymentFactory, PersonFactory


def other_account() -> User:
    """Someone else: another family, with a dependant, a payment, a notification, a message."""
    user = InsuredUserFactory()
    dependant = PersonFactory(family=user.person.family, dependant=True)
    PaymentFactory(beneficiary=dependant)
    Notification.objects.create(recipient=user, title="Autre", body="Pas pour vous.")
    Message.objects.create(recipient=user, subject="Autre", body="Pas pour vous.")
    return user
