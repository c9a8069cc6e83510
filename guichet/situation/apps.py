from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "guichet.situation"
    label = "situation"
    verbose_name = "Changements de situation"

    def ready(self) -> None:
        from guichet.cases.services import case_closer_register
        from guichet.situation.models import (
            BankDetailsChange,
            NewbornDeclaration,
            OtherParentRegistration,
            UsageNameChange,
        )
        from guichet.situation.services import (
            bank_details_change_case_close,
            newborn_declaration_case_close,
            other_parent_registration_case_close,
            usage_name_change_case_close,
        )

        # SIT9: a bank-details change's case is closed by its decision, whoever asks.
        case_closer_register(subject=BankDetailsChange, closer=bank_details_change_case_close)
        # SIT14: so is a usage-name change's.
        case_closer_register(subject=UsageNameChange, closer=usage_name_change_case_close)
        # SIT20: and a newborn declaration's.
        case_closer_register(subject=NewbornDeclaration, closer=newborn_declaration_case_close)
        # SIT25: and a registration on the other parent's card.
        case_closer_register(
            subject=OtherParentRegistration, closer=other_parent_registration_case_close
        )
