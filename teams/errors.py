from core.errors import DomainError


class TeamsError(DomainError):
    """A domain rule refused the action; the message is for the user (Chinese)."""
