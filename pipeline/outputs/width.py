"""How many terminal columns a text takes: a wide (CJK) character two, any other one.

Shared by the xlsx column widths (export) and the chart notes (plot), below both.
"""
from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
