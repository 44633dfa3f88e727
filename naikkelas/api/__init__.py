"""The JSON API at /api/v1/: one router per app, mounted here."""
