"""The JSON API, version 1: every app adds its routes through its own `api_urls.py`, included here."""

app_name = "api"

urlpatterns: list = []
