"""Which claims the identity provider hands out, in FranceConnect's format (rule C10)."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from guichet.interfaces.idp.scopes import ACR, CLAIM_SCOPES
from guichet.interfaces.idp.subjects import pairwise_subject


class ClaimsValidator(OAuth2Validator):
    """Claims in FranceConnect's format (the security checks are in guichet.interfaces.idp.validator)."""

    oidc_claim_scope = CLAIM_SCOPES

    def get_claim_dict(self, request: Any) -> dict[str, str]:
        """The toolkit's `sub` is the user's primary key; here, the pairwise identifier of the
        person at this relying party (guichet.interfaces.idp.subjects). The ID token (code exchange and
        refresh) and userinfo both come through here, so they agree."""
        claims = {"sub": pairwise_subject(person=request.user.person, application=request.client)}
        claims.update(self.get_additional_claims(request))
        return claims

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
