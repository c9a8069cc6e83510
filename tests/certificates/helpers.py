"""Shared helpers of the certificates tests: a family, and the text of a PDF."""

import datetime as dt
import io

from pypdf import PdfReader

from tests.factories import InsuredUserFactory, PersonFactory


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def family_user(*, rights: object = None, **person_kwargs: object):
    """An insured account with a spouse-less family of two children."""
    fields = {
        "first_names": "Corinne",
        "last_name": "Chevalerias",
        "birth_date": dt.date(1970, 5, 20),
        **person_kwargs,
    }
    opener = PersonFactory(rights=rights if rights is not None else True, **fields)
    user = InsuredUserFactory(person=opener)
    PersonFactory(
        dependant=True,
        family=opener.family,
        first_names="Adrik",
        last_name="Reglain",
        birth_date=dt.date(1995, 5, 23),
    )
    PersonFactory(
        dependant=True,
        family=opener.family,
        first_names="Nikita",
        last_name="Reglain",
        birth_date=dt.date(1998, 2, 17),
    )
    return user
