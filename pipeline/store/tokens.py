"""The search index's tokens: overlapping character bigrams of every run of Chinese
characters, digits and Latin letters, in the simplified reading. Below `schema`, `database`
(which index what they write) and `search` (which asks for them).
"""
from __future__ import annotations

import operator
import re

from junheng.text.traditional import simplified

_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff0-9a-z]+")  # Chinese, digits and Latin alike


def index_tokens(text: str) -> str:
    return " ".join(_tokens(simplified(text)))


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _RUN.findall(text.lower()):
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(map(operator.add, run, run[1:]))  # the bigrams, in C
            tokens.append(run[-1])  # lets a one-character query find a run's last character
    return tokens
