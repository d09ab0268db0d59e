"""The OpenAPI schema's generator: drf-spectacular's, plus the one error shape on every operation.

Every operation may answer with the `Error` body (core.api_errors) for the statuses below, so a client
generated from the schema, and schemathesis, know every answer the API can give.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from core.api_errors import ERROR_CODES

ERROR_DESCRIPTIONS = {
    "400": "输入有误（validation_error 等），fields 给出每个输入项的说明",
    "401": "未登录或令牌无效（not_authenticated / authentication_failed）",
    "403": "无权执行（permission_denied）",
    "404": "不存在或无权查看（not_found）",
    "405": "不支持该请求方法（method_not_allowed）",
    "406": "无法提供所请求的格式（not_acceptable）",
    "409": "对象当前状态不允许，或重复（wrong_state / duplicate / double_claim）",
    "413": "请求体过大（request_too_large）",
    "415": "不支持的请求内容类型（unsupported_media_type）",
    "429": "请求过于频繁（throttled）",
    "500": "服务器内部错误（server_error）",
}
BODY_METHODS = {"POST", "PUT", "PATCH"}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status, description in ERROR_DESCRIPTIONS.items():
            if status in {"409", "413", "415"} and self.method not in BODY_METHODS | {"DELETE"}:
                continue
            if status not in responses:
                responses[status] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), status, direction=direction
                )
        return responses


def _error_code_help() -> str:
    lines = [f"`{code}`（{status}）：{message}" for code, (status, message) in ERROR_CODES.items()]
    return "机器可读的错误代码：\n\n" + "\n".join(f"- {line}" for line in lines)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_error_code_help())
    message = serializers.CharField(help_text=_("给人看的中文说明。"))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("出错的输入项及其说明（仅在错误涉及具体输入时出现）。"),
    )


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (documented as `Error`)."""

    error = ErrorDetailSerializer()
