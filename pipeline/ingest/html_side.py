"""Side columns, related-article lists and rankings taken off a page before its article is read.

trafilatura drops a side column when its links give it away; a column of plain-text items
(<li>双减工作专栏</li>) or one under a name it does not know (right, xgwz, rank) stayed, and
its items read as the article's last lines, where they even tagged measures. A marked
article container (html_article) can hold such a list too. So, on the parsed page and for
both readers, these are dropped:

- an element named as a side column (data/side_columns.tsv), an <aside> or a <nav>, unless
  it holds the article (half the page's sentence marks: on some sites the article *is* the
  "left" column) or stands among the article's paragraphs; a strong name (side, related,
  xgwz …) among them still goes when its items read as a list, a weak one (left, right)
  never: <div class="right"> there is the signature;
- a <ul>/<ol> of short items without sentence punctuation that does not stand among the
  article's paragraphs: an article's own list of measures stays.

"Among the article's paragraphs" is judged locally, from the element's siblings, because a
whole-page pass to find the main text block cost a third of the reading time.
"""
from __future__ import annotations

import re
from functools import lru_cache

from junheng.text.data import data_rows

_SENTENCE = re.compile(r"[。！？；]")
_MARKS = "。！？；"
_ITEM_CHARS = 40  # a side item (a headline, a column name) is no longer than this
_ARTICLE_SHARE = 0.5  # an element with this share of the page's sentence marks holds the article
_CONTAINERS = {"div", "section", "aside", "nav", "ul", "ol", "dl", "table", "td"}
_PARAGRAPHS = {"p", "span", "font", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "blockquote", "pre", "div"}
_BLOCKS = _CONTAINERS | _PARAGRAPHS - {"span", "font", "strong", "b"}  # what a paragraph <div> holds none of
_NAME_PART = re.compile(r"[\s_\-]+")
_UNNAMED = {"aside", "nav", "ul", "ol"}  # looked at with no class or id too
# Words CMS templates put around a side-column name: rightbox, news_side, hotlist, con-right.
_PREFIX = r"(?:news|con|main|page|list|box|r|l)?"
_SUFFIX = r"(?:box|bar|con|cont|content|list|nav|col|part|side|news|wrap|main|title|\d+)?"


def strip_side_columns(tree) -> None:
    """Drop the page's side columns from `tree` in place (see the module docstring)."""
    page_marks: list[int] = []  # counted once, and only when a named element asks

    def holds_article(element) -> bool:
        if not page_marks:
            page_marks.append(_marks(tree))
        return _marks(element) >= max(1, _ARTICLE_SHARE * page_marks[0])

    # tree.iter with tags filters in C: three times faster than an XPath union here.
    candidates = (element for element in tree.iter(*_CONTAINERS)
                  if element.tag in _UNNAMED or element.get("class") or element.get("id"))
    doomed = [element for element in candidates if _is_side(element, holds_article)]
    for element in doomed:
        if not any(ancestor in doomed for ancestor in element.iterancestors()):
            element.drop_tree()  # keeps the element's tail text, which belongs to its parent


def _is_side(element, holds_article) -> bool:
    tag = element.tag.lower()
    strength = _side_name(element.get("class"), element.get("id"))
    if tag in ("aside", "nav"):
        strength = "strong"
    if strength:
        if holds_article(element):
            return False
        if _among_paragraphs(element):
            return strength == "strong" and _list_like(element, min_items=1)
        return True
    return tag in ("ul", "ol") and _list_like(element, min_items=2) and not _among_paragraphs(element)


def _marks(element) -> int:
    text = element.text_content()
    return sum(text.count(mark) for mark in _MARKS)


def _among_paragraphs(element) -> bool:
    """Whether the element stands in running text: its parent holds sentence text of its
    own, or a sibling paragraph (a text-level element, or a <div> without blocks in it) does."""
    parent = element.getparent()
    if parent is None:
        return False
    runs = [parent.text or "", *(child.tail or "" for child in parent)]
    if any(_SENTENCE.search(run) for run in runs):
        return True
    for sibling in parent:
        if sibling is element or not isinstance(sibling.tag, str) or sibling.tag.lower() not in _PARAGRAPHS:
            continue
        if sibling.tag.lower() == "div" and any(isinstance(c.tag, str) and c.tag.lower() in _BLOCKS for c in sibling):
            continue
        if _SENTENCE.search(sibling.text_content()):
            return True
    return False


def _list_like(element, min_items: int) -> bool:
    """Short items, none with a sentence's punctuation: headlines and column names."""
    items = [item for item in _items(element) if item]
    return len(items) >= min_items and all(len(item) <= _ITEM_CHARS and not _SENTENCE.search(item) for item in items)


def _items(element) -> list[str]:
    rows = element.xpath(".//li|.//dd|.//dt|.//p|.//a[not(ancestor::li)]")
    if not rows:
        return [" ".join(element.text_content().split())]
    return [" ".join(row.text_content().split()) for row in rows]


@lru_cache(maxsize=4096)  # a site repeats its few class names on every page
def _side_name(class_: str | None, id_: str | None) -> str | None:
    """'strong' or 'weak' when a class or id names a side column, else None."""
    strengths = []
    for value in (class_, id_):
        for token in (value or "").lower().split():
            for part in [token.replace("-", "").replace("_", ""), *_NAME_PART.split(token)]:
                match = _name_pattern().fullmatch(part)
                if match:
                    strengths.append(_names()[next(g for g in match.groups() if g)])
    return "strong" if "strong" in strengths else ("weak" if strengths else None)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {row["name"]: row["strength"] for row in data_rows("side_columns.tsv")}


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern:
    names = "|".join(sorted(map(re.escape, _names()), key=len, reverse=True))
    return re.compile(rf"{_PREFIX}({names}){_SUFFIX}")
