"""Where a mention stands (title, head, signature, boilerplate) and how much it weighs."""
from __future__ import annotations

import re

from .mentions import Mention, _find

BOILERPLATE = re.compile(r"版权所有|主办单位|主办：|承办：|技术支持|ICP|备案号|网站地图|友情链接|联系我们"
                         r"|地址：|邮编|电话：|Copyright|©|网站标识码|公网安备|当前位置|您的位置|首页\s*>"
                         r"|发布时间|浏览次数|字号|相关链接|相关新闻|上一篇|下一篇|扫一扫")
PASSING_BEFORE = re.compile(r"(赴|前往|来自|借鉴|考察学习|参观|兄弟|邻近|毗邻|对口帮扶|对口支援|结对|援建)"
                            r"[^，。；！？\n]{0,4}$")
PASSING_AFTER = re.compile(r"^(等地|等县|等市|等区|等省|代表团|考察团|参观团|客人|一行|同行|的经验|的做法|经验)")
SIGNATURE_END = re.compile(r"(政府|局|组|室|委|会|厅|院|中心)$")  # 夹江县人民政府, …调研组
DATE_LINE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九○]{4})\s*年.{1,6}日\s*$")
WEIGHTS = {"title": 10.0, "issuer": 8.0, "head": 3.0, "tail": 3.0, "body": 1.0}


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    return out


def _zones(text: str) -> tuple[list[tuple[int, int]], int, list[tuple[int, int]]]:
    """Boilerplate line spans, end of the opening lines, and the signature block's spans."""
    lines = _lines(text)
    skip = [(s, e) for s, e, line in lines if BOILERPLATE.search(line)]
    content = [(s, e, line) for s, e, line in lines if not BOILERPLATE.search(line)]
    head_end = min(content[2][1] if len(content) > 2 else len(text), 300) if content else 0
    tail = []
    last = content[-6:]
    for i, (s, e, line) in enumerate(last):
        if len(line) > 40 or "、" in line or not SIGNATURE_END.search(line):
            continue
        rest = [entry[2] for entry in last[i + 1:i + 3]]
        if i == len(last) - 1 or any(DATE_LINE.match(r) for r in rest):
            tail.append((s, e))
    return skip, head_end, tail


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _passing(text: str, m: Mention) -> bool:
    before = text[max(0, m.start - 12):m.start]
    after = text[m.end:m.end + 4]
    listed = before.endswith("、") or after.startswith("、")
    return listed or bool(PASSING_BEFORE.search(before) or PASSING_AFTER.match(after))


def _text_mentions(text: str) -> list[Mention]:
    skip, head_end, tail = _zones(text)
    out = []
    for m in _find(text, "body"):
        if _inside(m.start, skip):
            continue
        m.zone = "head" if m.start < head_end else "tail" if _inside(m.start, tail) else "body"
        factor = 0.2 if _passing(text, m) else 1.0
        m.weight *= factor * (WEIGHTS[m.zone] + (1.0 if m.zone != "body" else 0.0))
        out.append(m)
    return out
