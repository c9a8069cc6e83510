"""Every email change asks the person to prove who they are first and tells the old address
(issue 13, ASVS 3.7.1; docs/decisions/security-email-change.md).

The app's API changes no address today: its only operation that takes one is the account
creation, where the address is the first one (rule C6). This guard fails when an operation that
takes an address is added, so that whoever adds it goes through
`enrollment.services.confirmation_resend` (the proof, its throttling, the notice) like the web.
"""

import pytest

pytestmark = pytest.mark.urls("config.urls")  # the real mount

TAKES_AN_ADDRESS = {("post", "/api/v1/enrollment")}


def _properties(schema: dict, components: dict) -> set[str]:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []) + schema.get("anyOf", []) + schema.get("oneOf", []):
        names |= _properties(part, components)
    return names


def test_no_operation_but_account_creation_takes_an_email_address(client):
    description = client.get("/api/v1/openapi.json").json()
    components = description["components"]["schemas"]
    found = set()
    for path, operations in description["paths"].items():
        for method, operation in operations.items():
            bodies = operation.get("requestBody", {}).get("content", {}).values()
            fields = set().union(*(_properties(b["schema"], components) for b in bodies))
            fields |= {p["name"] for p in operation.get("parameters", [])}
            if any("email" in name for name in fields):
                found.add((method, path))
    assert found == TAKES_AN_ADDRESS
