"""What the insured receives when the back office closes their case (O7)."""

from guichet.accounts.models import User
from guichet.complementary.models import Conflict
from guichet.notifications.links import web_path, web_url
from guichet.notifications.services import account_email_queue, notification_post

NOTIFICATION_TITLE = "Ma mutuelle"
NOTIFICATION_BODY = "La transmission automatique des paiements à votre complémentaire est activée."
EMAIL_SUBJECT = "Une information importante vous attend dans votre compte ameli"


def notify_choice_applied(*, user: User, conflict: Conflict | None = None) -> None:
    """The notification in the account, then the « avis de dépôt » email pointing to it.

    The email names no insurer, contract or beneficiary: only a link to the account. Once the
    account is closed, both go to the account the person opened since, if any. The notice is
    about the request's first overlap, so that a thread about it is linked (rule ECH5).
    """
    notification_post(
        recipient=user,
        title=NOTIFICATION_TITLE,
        body=NOTIFICATION_BODY,
        link_url=web_path("web:information"),
        link_label="Voir mes informations",
        about=conflict,
    )
    person = user.person or user.closed_person
    account_email_queue(
        recipient=user,
        subject=EMAIL_SUBJECT,
        template="emails/avis_de_depot",
        context={
            "first_name": person.given_name if person else "",
            "last_name": person.display_last_name if person else "",
            "account_url": web_url("web:login"),
        },
        category="avis_de_depot",
    )
