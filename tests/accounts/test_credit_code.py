import pytest
from django.core.exceptions import ValidationError

from accounts.validators import validate_credit_code

# Published codes of real companies (their check characters are part of the public record).
REAL_VALID = [
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "91110000100005220B",
]


@pytest.mark.parametrize("code", REAL_VALID)
def test_it_accepts_real_credit_codes(code):
    validate_credit_code(code)
    validate_credit_code(code.lower())  # letters are case-insensitive on input


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("914403001922038217", "checksum"),  # last digit changed
        ("9144030071526726XA", "checksum"),
        ("91440300192203821", "length"),
        ("9144030019220382161", "length"),
        ("91440300192203821I", "charset"),  # I is not in the alphabet
        ("91ABCDEF1922038216", "region"),
        ("", "length"),
    ],
)
def test_it_rejects_invalid_credit_codes_with_a_reason(code, error_code):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == error_code
    assert "统一社会信用代码" in exc.value.messages[0]
