"""The errors a reader raises: a file that cannot be read, with the reason in words."""


class IngestError(Exception):
    """The file cannot be read; `str(error)` is the reason, written for the user."""


class NotAReport(IngestError):
    """The file is of a kind known to hold no report (a spreadsheet, an image, an archive).
    Named on the command line it fails like any unreadable file; met while walking a folder
    it is skipped, since folders of downloaded pages hold such files beside the reports."""
