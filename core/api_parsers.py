"""The API's request parsers, hardened against hostile bodies (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]).

DRF's JSONParser reads the whole stream (Django's DATA_UPLOAD_MAX_MEMORY_SIZE is only enforced when
`request.body` is used), lets a RecursionError from deeply nested JSON become a 500, and passes on
strings PostgreSQL cannot store (NUL characters, lone surrogates). Django's multipart parser raises
RequestDataTooBig / TooManyFieldsSent, which DRF does not turn into a response. Here each of these is a
clear refusal in the API's error shape:

- a body over DATA_UPLOAD_MAX_MEMORY_SIZE (JSON or form fields; files have their own limit): 413;
- a body that is not UTF-8, not JSON, nested deeper than MAX_DEPTH, or holding NUL / lone surrogates: 400.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils.json import strict_constant

from core.form_fields import whole_number

# Deeper than any input the API describes (the deepest is a list of objects inside an object); a JSON
# bomb of nested arrays is refused here before any serializer walks it.
MAX_DEPTH = 32


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("请求体过大，请减少提交的内容后重试。")
    default_code = "request_too_large"


def _limit() -> int | None:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def request_too_large(detail=None) -> RequestTooLarge:
    limit = _limit()
    if detail is None and limit:
        detail = _("请求体过大：不能超过 %(kb)d KB。") % {"kb": limit // 1024}
    return RequestTooLarge(detail)


def _check_value(data) -> None:
    """Walk the parsed value without recursion: depth, and strings the database cannot store."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(_("JSON 嵌套层数过深（不能超过 %(n)d 层）。") % {"n": MAX_DEPTH})
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for key, item in items:
                if key is not None:
                    _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise ParseError(_("文本中不能包含空字符（\\u0000）。"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate such as "\ud800"
        raise ParseError(_("文本中含有无效的 Unicode 字符。")) from exc


def _read_bounded(stream, parser_context) -> bytes:
    """The body, refused with a 413 beyond DATA_UPLOAD_MAX_MEMORY_SIZE: first by its declared length,
    then by reading at most one byte past the limit (a body without or lying about its length)."""
    limit = _limit()
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    declared = whole_number(declared)  # None when absent or not a length
    if limit is not None and declared is not None and declared > limit:
        raise request_too_large()
    raw = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(raw) > limit:
        raise request_too_large()
    return raw


def _encoding(parser_context) -> str:
    return (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = _read_bounded(stream, parser_context)
        try:
            text = raw.decode(_encoding(parser_context))
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("请求体不是有效的 UTF-8 文本。")) from exc
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except RecursionError as exc:
            raise ParseError(_("JSON 嵌套层数过深（不能超过 %(n)d 层）。") % {"n": MAX_DEPTH}) from exc
        except ValueError as exc:
            raise ParseError(_("请求体不是有效的 JSON：%(reason)s") % {"reason": exc}) from exc
        _check_value(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = _read_bounded(stream, parser_context)
        try:
            data = QueryDict(raw, encoding=_encoding(parser_context))
        except TooManyFieldsSent as exc:
            raise ParseError(_("提交的字段过多。")) from exc
        for key, values in data.lists():
            for text in (key, *values):
                _check_text(text)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Django's parser already bounds the form fields (files have their own limit, checked by
    core.uploads); its refusals are answered in the API's shape instead of escaping DRF."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig as exc:
            raise request_too_large() from exc
        except TooManyFieldsSent as exc:
            raise ParseError(_("提交的字段过多。")) from exc
