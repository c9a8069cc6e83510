"""Which claims the identity provider hands out, in FranceConnect's format (rule C10)."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from guichet.idp.scopes import ACR, CLAIM_SCOPES


class ClaimsValidator(OAuth2Validator):
    """Claims in FranceConnect's format (the security checks are in guichet.idp.validator)."""

    oidc_claim_scope = CLAIM_SCOPES

    def get_additional_claims(self, request: Any) -> dict[str, str]:
        user = request.user
        person = user.person
        claims = {
            "acr": ACR,
            "given_name": person.first_names,
            "family_name": person.last_name,
            "birthdate": person.birth_date.isoformat(),
            "gender": person.gender,
            "birthplace": person.birth_place_insee,
            "birthcountry": person.birth_country_insee,
            "email": user.email,
        }
        if person.usage_name:
            claims["preferred_username"] = person.usage_name
        return claims
