"""Test identities of the sandbox, in FranceConnect's claim format (birthplace: INSEE code).

The first one is FranceConnect's public test identity; the demo creates a matching insured
person with no account. The others are sandbox-only people for the refusal paths.
"""

IDENTITIES: dict[str, dict[str, str]] = {
    "angela-dubois": {
        "given_name": "Angela Claire Louise",
        "family_name": "DUBOIS",
        "birthdate": "1962-08-24",
        "gender": "female",
        "birthplace": "75107",
        "birthcountry": "99100",
        "email": "wossewodda-3728@yopmail.com",
        "preferred_username": "",
    },
    "pierre-mercier": {
        "given_name": "Pierre",
        "family_name": "MERCIER",
        "birthdate": "1969-03-17",
        "gender": "male",
        "birthplace": "69383",
        "birthcountry": "99100",
        "email": "pierre-mercier-sandbox@yopmail.com",
        "preferred_username": "",
    },
    "nadia-el-amrani": {
        "given_name": "Nadia",
        "family_name": "EL AMRANI",
        "birthdate": "1990-11-02",
        "gender": "female",
        "birthplace": "",
        "birthcountry": "99350",
        "email": "nadia-el-amrani-sandbox@yopmail.com",
        "preferred_username": "",
    },
}
