"""Kiosk (borne multi-services) pages: see issue 5."""
