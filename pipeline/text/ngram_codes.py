"""Text as a numpy array of code points, and its n-grams as single integers.

A code point + 1 fits in 21 bits (+1: NUL is no padding), so an n-gram of up to three
characters has one 63-bit code, and the n-grams of a whole text are coded in a few vectorised
operations. The measure model looks them up in its vocabulary (measures_linear), the gazetteer
its names' first two characters (name_finder).
"""
from __future__ import annotations

import numpy as np

BITS = 21


def code_points(text: str) -> np.ndarray:
    """Each character's code point + 1 (a lone surrogate too, as str counts it)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64) + 1


def gram_codes(points: np.ndarray, n: int) -> np.ndarray:
    """The code of the n-gram starting at each position (as `code` computes it)."""
    count = len(points) - n + 1
    codes = points[:count].copy()
    for shift in range(1, n):
        codes = (codes << np.uint64(BITS)) | points[shift: shift + count]
    return codes


def code(term: str) -> int:
    value = 0
    for char in term:
        value = (value << BITS) | (ord(char) + 1)
    return value
