"""One error shape for the whole API, so a client handles every refusal the same way:

    {"error": {"code": "validation_error", "message": "请求数据有误。", "fields": {"title": ["请填写需求标题。"]}}}

`message` is Chinese and meant for a person; `code` is for programs; `fields` (only when the error is
about particular inputs) maps each input to its messages. ERROR_CODES lists every code with its HTTP
status; the OpenAPI schema documents the shape as `Error`.

A domain rule's refusal (core.errors.DomainError: DemandError, TeamsError, MatchingError,
ScoringError) keeps its own code and message: "forbidden" is a 403, a wrong state or a duplicate a 409,
anything else a 400. An unexpected exception is logged and answered 500 in the same shape, with nothing
of its text shown.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.api_parsers import RequestTooLarge, request_too_large
from core.errors import DomainError

logger = logging.getLogger(__name__)

# code: (HTTP status, the default Chinese message)
ERROR_CODES = {
    "validation_error": (400, _("请求数据有误，请检查后重试。")),
    "parse_error": (400, _("请求内容无法解析，请检查格式。")),
    "invalid": (400, _("请求无法完成。")),
    "comment_required": (400, _("该操作需要填写意见或原因。")),
    "rules": (400, _("不符合小分队组建要求。")),
    "late": (400, _("申报已截止。")),
    "evidence_required": (400, _("请先上传佐证材料。")),
    "unknown_action": (400, _("未知的操作。")),
    "file": (400, _("上传的文件不符合要求。")),
    "file_type": (400, _("不支持的文件类型。")),
    "file_content": (400, _("文件内容与扩展名不符。")),
    "file_empty": (400, _("文件为空。")),
    "file_size": (400, _("文件过大。")),
    "import_rejected": (400, _("导入的表格有误，未导入任何内容。")),
    "not_authenticated": (401, _("请先登录或提供有效的令牌。")),
    "authentication_failed": (401, _("身份验证失败。")),
    "permission_denied": (403, _("您无权执行该操作。")),
    "not_found": (404, _("未找到该资源。")),
    "method_not_allowed": (405, _("不支持该请求方法。")),
    "not_acceptable": (406, _("无法提供所请求的格式。")),
    "wrong_state": (409, _("对象当前的状态不允许该操作。")),
    "duplicate": (409, _("已存在相同的记录。")),
    "double_claim": (409, _("同一成果不得重复申报。")),
    "frozen": (409, _("该年度考核结果已公布，不能再修改。")),
    "year_closed": (409, _("该年度考核的记录名单已确定，不再受理。")),
    "pending": (409, _("还有未完成的抽查。")),
    "already_drawn": (409, _("该类别已抽样。")),
    "notice_running": (409, _("公示期尚未结束。")),
    "objections": (409, _("还有未答复的异议。")),
    "request_too_large": (413, _("请求体过大，请减少提交的内容后重试。")),
    "unsupported_media_type": (415, _("不支持的请求内容类型。")),
    "throttled": (429, _("请求过于频繁，请稍后再试。")),
    "server_error": (500, _("服务器内部错误，请稍后重试。")),
}
DOMAIN_STATUS = {"forbidden": 403, "not_found": 404} | {
    code: st for code, (st, _msg) in ERROR_CODES.items() if st == 409
}

# DRF's own exceptions, by class, to our code (their English `default_code` differs in places).
DRF_CODES = [
    (RequestTooLarge, "request_too_large"),
    (exceptions.ValidationError, "validation_error"),
    (exceptions.ParseError, "parse_error"),
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "authentication_failed"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
]


def error_body(code: str, message=None, fields: dict | None = None) -> dict:
    body = {"code": code, "message": str(message if message is not None else ERROR_CODES[code][1])}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _flatten(detail) -> dict:
    """DRF's nested error detail as {field: [messages]}; nested inputs get dotted names (items.0.code)."""
    out: dict[str, list[str]] = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, item in enumerate(value):
                if item:
                    walk(f"{prefix}.{index}" if prefix else str(index), item)
        else:
            messages = value if isinstance(value, list) else [value]
            out.setdefault(prefix or "non_field_errors", []).extend(str(m) for m in messages)

    walk("", detail)
    return out


def _validation_response(detail) -> Response:
    fields = _flatten(detail)
    general = fields.get("non_field_errors")
    message = general[0] if general and len(fields) == 1 else ERROR_CODES["validation_error"][1]
    return Response(error_body("validation_error", message, fields), status=400)


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error the API answers goes through here."""
    if isinstance(exc, DomainError):
        set_rollback()
        code = "permission_denied" if exc.code == "forbidden" else exc.code
        fields = {exc.field: [exc.message]} if exc.field else None
        status_code = DOMAIN_STATUS.get(exc.code, 400)
        return Response(error_body(code, exc.message, fields), status=status_code)
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _validation_response(detail)
    if isinstance(exc, RequestDataTooBig):
        # Django's own body limit, met outside our parsers (the session check reads the form first).
        exc = request_too_large()
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        set_rollback()
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        if isinstance(exc, exceptions.ValidationError):
            response = _validation_response(exc.detail)
        else:
            code = next((c for cls, c in DRF_CODES if isinstance(exc, cls)), "invalid")
            response = Response(error_body(code, _drf_message(exc, code)), status=exc.status_code)
        for key, value in headers.items():
            response[key] = value
        return response
    logger.exception("Unhandled error in API view %s", context.get("view").__class__.__name__)
    set_rollback()
    return Response(error_body("server_error"), status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def _drf_message(exc, code: str):
    """A permission refusal or a 404 from our own code may carry a Chinese reason; DRF's generic English
    defaults are replaced by ours."""
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if detail and detail != str(type(exc).default_detail) and _is_chinese(detail):
        return detail
    return ERROR_CODES[code][1]


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ------------------------------------------------------------ errors outside DRF views, under /api/


def _api_path(request) -> bool:
    return request.path.startswith("/api/")


def json_not_found(request, exception=None):
    """handler404 for /api/ paths (an unknown URL answers in the API's shape); pages keep their 404."""
    from django.views import defaults

    if _api_path(request):
        return JsonResponse(error_body("not_found"), status=404)
    return defaults.page_not_found(request, exception)


def json_server_error(request):
    from django.views import defaults

    if _api_path(request):
        return JsonResponse(error_body("server_error"), status=500)
    return defaults.server_error(request)
