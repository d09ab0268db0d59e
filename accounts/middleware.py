"""The API answers in Chinese whatever the client's Accept-Language: its messages are part of the
documented error shape (accounts.api_errors), and a client library's default `Accept-Language: en`
must not turn half of them (the field messages of DRF and of Django's forms) into English."""

from django.conf import settings
from django.utils import translation


class ApiLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
