from django.apps import AppConfig


class ComplementaryConfig(AppConfig):
    name = "guichet.complementary"
    label = "complementary"
    verbose_name = "Chevauchement d'organismes complémentaires"

    def ready(self) -> None:
        from guichet.cases.services import case_closer_register
        from guichet.complementary.models import ChoiceRequest
        from guichet.complementary.services import choice_request_case_close

        # O7: a choice request's case is closed by its own service, whoever asks.
        case_closer_register(subject=ChoiceRequest, closer=choice_request_case_close)
