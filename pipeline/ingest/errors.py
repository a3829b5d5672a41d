"""The one error a reader raises: a file that cannot be read, with the reason in words."""


class IngestError(Exception):
    """The file cannot be read; `str(error)` is the reason, written for the user."""
