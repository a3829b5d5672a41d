"""The one jieba tokenizer of the project, with a user dictionary of the domain's words.

Figures and measures segment the same text; `tokens(text)` caches the last documents'
segmentation so each text is cut once per process however many stages ask.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def tokenizer():
    """jieba's Tokenizer, initialised once per process with data/userdict.txt."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at import
    instance = jieba.Tokenizer()
    userdict = resources.files("pipeline") / "data" / "userdict.txt"
    with resources.as_file(userdict) as path:
        instance.load_userdict(str(path))
    return instance


@lru_cache(maxsize=8)
def tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    """(word, start, end) for every word of `text`, offsets into `text`."""
    return tuple(tokenizer().tokenize(text))


def words(text: str) -> list[str]:
    return [word for word, _, _ in tokens(text)]
