"""What the apps above teams tell it at start-up, without teams importing them (ARCHITECTURE.md: the
arrows run one way). Each app registers here in its AppConfig.ready().

- approval checks: check(record) → a Chinese reason to refuse the college's approval, or None. scoring
  registers one: a record of a year whose record set the spot-check draw has closed, where the
  university refuses late approvals.
"""

from collections.abc import Callable

_approval_checks: list[Callable] = []


def register_approval_check(check: Callable) -> None:
    if check not in _approval_checks:
        _approval_checks.append(check)


def approval_refusal(record) -> str | None:
    for check in _approval_checks:
        reason = check(record)
        if reason:
            return reason
    return None
