"""JSON API for the mobile app: see issue 8."""
