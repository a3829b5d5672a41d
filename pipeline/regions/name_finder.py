"""Every occurrence of a fixed set of names in a text, overlapping ones included.

For the gazetteer's ~6,700 division names and short forms. Each name has two characters or
more, so a name can only start where the text's two characters there begin some name: those
places are found for the whole text at once (numpy: the code of each character pair looked up
in the sorted codes of the names' first pairs), then each is checked against the names of
that beginning, longest to shortest. pyahocorasick found the same 5× slower here: the root of
an automaton of these names has ~900 children, searched at almost every character.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from junheng.text.ngram_codes import code, code_points, gram_codes


class NameFinder:
    def __init__(self, names) -> None:
        self.names = frozenset(names)
        if any(len(name) < 2 for name in self.names):
            raise ValueError("every name needs two characters or more")
        lengths: dict[str, set[int]] = defaultdict(set)
        for name in self.names:
            lengths[name[:2]].add(len(name))
        self._lengths = {pair: sorted(found, reverse=True) for pair, found in lengths.items()}
        self._pair_codes = np.array(sorted(code(pair) for pair in lengths), dtype=np.uint64)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of every occurrence, by start, longer names first."""
        if len(text) < 2 or not self.names:
            return []
        codes = gram_codes(code_points(text), 2)
        position = np.searchsorted(self._pair_codes, codes).clip(max=len(self._pair_codes) - 1)
        found = []
        for start in np.flatnonzero(self._pair_codes[position] == codes).tolist():
            for length in self._lengths[text[start:start + 2]]:
                end = start + length
                if end <= len(text) and text[start:end] in self.names:
                    found.append((start, end, text[start:end]))
        return found
