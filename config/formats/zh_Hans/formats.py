"""zh-hans formats the platform overrides; the rest come from Django's own zh_Hans module.

Input formats put ISO first: a form renders a date or datetime in the first of them, and the browser's
date and datetime-local inputs accept nothing else. The others are still accepted when typed."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-01
    "%Y/%m/%d",  # 2026/12/01
    "%Y年%m月%d日",  # 2026年12月01日
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M:%S.%f",
]
