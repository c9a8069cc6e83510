"""The oauthlib server behind /oidc/, cut down to what the identity provider offers (rule C10).

Only the authorization code flow (and refreshing its tokens), and PKCE with S256 only: « plain »
(or no method, which RFC 7636 reads as plain) is refused at the authorization request, before
the consent screen, with ``invalid_request`` (RFC 7636 § 4.4.1; RFC 9700 § 2.1.1).
The validator is guichet.interfaces.idp.validator.GuichetOAuth2Validator (it has ``claim_code``).
"""

from typing import Any

from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256
from oauthlib.openid import Server

CODE_CHALLENGE_METHODS = {"S256": code_challenge_method_s256}


class GuichetServer(Server):
    def __init__(self, request_validator: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(request_validator, *args, **kwargs)
        for grant in (self.auth_grant, self.openid_connect_auth.proxy_target):
            grant._code_challenge_methods = CODE_CHALLENGE_METHODS
            # Once the token request is valid, the code is claimed (a replay is refused and
            # revokes what the code gave; guichet.interfaces.idp.validator).
            grant.custom_validators.post_token.append(
                lambda request: request_validator.claim_code(request)
            )
        # Any other response type falls back to the code grant, which refuses it.
        self._response_types = {"code": self.auth_grant_choice}
        self._grant_types = {
            "authorization_code": self.token_grant_choice,
            "refresh_token": self.refresh_grant,
        }
