from django.db import transaction

from guichet.accounts.models import User
from guichet.feedback.enums import Procedure
from guichet.feedback.models import Rating


@transaction.atomic
def rating_record(*, user: User, procedure: Procedure, score: int, comment: str = "") -> Rating:
    return Rating.objects.create(
        user=user, procedure=procedure, score=score, comment=comment.strip()
    )
