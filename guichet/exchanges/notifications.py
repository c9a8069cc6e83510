"""What the insured receives when the fund answers in the « Espace d'échanges » (rule ECH9).

A notification in the account, then the « avis de dépôt » email pointing to it: the email
never carries the answer's text, nor the thread's subject (the person's own words may name
their health), only a link to the account.
"""

from guichet.exchanges.models import Thread
from guichet.notifications.links import web_path, web_url
from guichet.notifications.services import account_email_queue, notification_post

NOTIFICATION_TITLE = "Nouvelle réponse de votre caisse"
EMAIL_SUBJECT = "Une information importante vous attend dans votre compte ameli"


def answer_posted(*, thread: Thread) -> None:
    notification_post(
        recipient=thread.account,
        title=NOTIFICATION_TITLE,
        body="Votre caisse a répondu à votre message dans « Ma messagerie ».",
        link_url=web_path("web:exchange_thread", [thread.pk]),
        link_label="Lire la réponse",
    )
    person = thread.insured
    account_email_queue(
        recipient=thread.account,
        subject=EMAIL_SUBJECT,
        template="emails/avis_de_depot",
        context={
            "first_name": person.given_name,
            "last_name": person.display_last_name,
            "account_url": web_url("web:login"),
        },
        category="avis_de_depot",
    )
