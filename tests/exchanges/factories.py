"""Threads of the « Espace d'échanges » for tests (issue 19)."""

from guichet.accounts.models import User
from guichet.exchanges import services
from guichet.exchanges.enums import ThreadSubject
from guichet.exchanges.models import Thread
from tests.cards.factories import jpeg_bytes, pdf_bytes, png_bytes, upload
from tests.factories import AgentFactory

__all__ = ["jpeg_bytes", "pdf_bytes", "png_bytes", "upload"]


def start_thread(
    user: User, *, body: str = "Bonjour, où en est mon remboursement ?", **kw
) -> Thread:
    kw.setdefault("subject", ThreadSubject.REIMBURSEMENT)
    return services.thread_start(user=user, body=body, **kw)


def fund_agent(thread: Thread, **kw) -> User:
    kw.setdefault("agent_role", "back_office")
    return AgentFactory(fund=thread.fund, **kw)
