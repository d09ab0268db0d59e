from core.errors import DomainError


class MatchingError(DomainError):
    """A matching or engagement rule refused the action; the message is for the user (Chinese)."""
