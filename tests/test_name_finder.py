"""NameFinder: every occurrence of every name, as a naive search would find them."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from junheng.regions.name_finder import NameFinder

NAMES = ["朝阳", "朝阳区", "朝阳市", "阳区", "城区", "新建", "新建区", "𠀋𠀋县"]


def naive(names, text):
    return sorted((start, start + len(name), name) for name in set(names)
                  for start in range(len(text)) if text.startswith(name, start))


@pytest.mark.parametrize("text, expected", [
    ("北京市朝阳区教委", [(3, 6, "朝阳区"), (3, 5, "朝阳"), (4, 6, "阳区")]),
    ("新建城区", [(0, 2, "新建"), (2, 4, "城区")]),
    ("朝阳", [(0, 2, "朝阳")]),
    ("朝", []),  # shorter than any name
    ("", []),
    ("在𠀋𠀋县", [(1, 4, "𠀋𠀋县")]),  # characters beyond the BMP count as one each, like str
    ("朝阳朝阳", [(0, 2, "朝阳"), (2, 4, "朝阳")]),
])
def test_find(text, expected):
    assert NameFinder(NAMES).find(text) == expected


def test_a_one_character_name_is_refused():
    with pytest.raises(ValueError):
        NameFinder(["县"])


@given(st.text(alphabet="朝阳区城新建市县", max_size=40))
def test_find_equals_a_naive_search(text):
    assert sorted(NameFinder(NAMES).find(text)) == naive(NAMES, text)
