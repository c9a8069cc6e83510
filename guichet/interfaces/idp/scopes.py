"""Scopes and claims of the identity provider (rule C10): plain data, read by the settings."""

ACR = "eidas1"

# Each claim is released only when its scope was granted on the consent screen.
CLAIM_SCOPES = {
    "sub": "openid",
    "acr": "openid",
    "given_name": "given_name",
    "family_name": "family_name",
    "preferred_username": "family_name",
    "birthdate": "birthdate",
    "gender": "gender",
    "birthplace": "birthplace",
    "birthcountry": "birthcountry",
    "email": "email",
}

SCOPES = {
    "openid": "Vous identifier (identifiant technique)",
    "given_name": "Vos prénoms",
    "family_name": "Votre nom de naissance et votre nom d'usage",
    "birthdate": "Votre date de naissance",
    "gender": "Votre sexe",
    "birthplace": "Votre commune de naissance",
    "birthcountry": "Votre pays de naissance",
    "email": "Votre adresse email",
}
