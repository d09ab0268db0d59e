class DomainError(Exception):
    """A domain rule refused an action; the message is for the user (Chinese).

    Each app's own error (DemandError, TeamsError, MatchingError, ScoringError) is one of these, so the
    pages and the API (core.api_errors) turn every refusal into the same message and machine code.
    `field` names the input the refusal is about, when there is one.
    """

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
