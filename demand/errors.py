from core.errors import DomainError


class DemandError(DomainError):
    """A rule about needs refused the action; the message is for the user (Chinese)."""
