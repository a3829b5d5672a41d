"""The one jieba tokenizer of the project, with a user dictionary of the domain's words.

Figures ask it whether a short indicator word is a word where it stands (中学 in 初中学校 is
not); the measure classifier reads character n-grams and needs no segmentation.
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
    userdict = resources.files("junheng") / "data" / "userdict.txt"
    with resources.as_file(userdict) as path:
        instance.load_userdict(str(path))
    return instance
