class MatchingError(Exception):
    """A matching or engagement rule refused the action; the message is for the user (Chinese)."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
