"""A demo partner site that signs in with the account (rule C10; issue 14).

An interface for development only (mounted at /partenaire-demo/ when GUICHET_DEMO_PARTNER is
true, which GUICHET_DEBUG implies): a relying party of /oidc/, as a partner's site would be,
served by the project itself so that « try a login from it » needs nothing but `make run`.
It speaks to /oidc/ over HTTP like any relying party; no domain code imports it.
"""
