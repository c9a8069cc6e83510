from django_tasks import task

from guichet.notifications import services


@task()
def send_email(email_id: int) -> str:
    return str(services.email_send(email_id=email_id))
