class DemandError(Exception):
    """A rule about needs refused the action; the message is for the user (Chinese)."""

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
