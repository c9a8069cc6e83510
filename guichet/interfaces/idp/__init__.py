"""The account as an OpenID Connect identity provider (rule C10), with django-oauth-toolkit.

An interface package: it reads the account and the fund's records, and no domain code imports it.
"""
