"""Which unit a report is about: disambiguate the mentions, weigh them, choose one or none."""
from __future__ import annotations

from collections import defaultdict

from ..document import Region
from .evidence import WEIGHTS, _text_mentions
from .gazetteer import gazetteer
from .mentions import Mention, _find

MIN_SCORE = 2.0


def _disambiguate(mentions: list[Mention]) -> None:
    """Pick one unit for each ambiguous name from the units named around it; else drop it."""
    g = gazetteer()
    for m in mentions:  # 天津, 七台河: a short form that can only mean one unit counts as a name
        if m.stem and len(m.codes) == 1 and m.codes[0] == g.stem_owner.get(m.surface) and (
                len(m.surface) > 2 or g.by_code[m.codes[0]].level == "province"):
            m.stem = False
    named = {c for m in mentions if not (m.stem or m.weak) and len(m.codes) == 1 for c in m.codes}
    for m in mentions:
        if m.weak:
            m.codes = [c for c in m.codes if {c, g.by_code[c].parent_code} & named]
    support: dict[str, float] = defaultdict(float)
    for m in mentions:
        if len(m.codes) == 1 and not m.stem:
            for code in g.ancestors(m.codes[0]):
                support[code] += m.weight
    for m in mentions:
        if len(m.codes) < 2 or m.stem:
            continue
        scores = {c: sum(support[a] for a in g.ancestors(c)) for c in m.codes}
        best = max(scores.values())
        top = [c for c in m.codes if scores[c] == best]
        if len(top) > 1:
            top = [c for c in top if m.kinds[c] != "old"]  # a current name beats an old one
        m.codes = top if len(top) == 1 else []


def _tie_stems(mentions: list[Mention]) -> None:
    """A bare short form (闵行, 晋江, 朝阳) stands for the unit of that stem named in full
    elsewhere; failing that, for its own unit if it is long (七台河) or a province (四川)."""
    g = gazetteer()
    named = {m.codes[0] for m in mentions if not m.stem and len(m.codes) == 1}
    for m in mentions:
        if not m.stem:
            continue
        tied = [c for c in m.codes if c in named]
        owner = g.stem_owner.get(m.surface)
        if not tied and owner and (
                len(m.surface) > 2 or g.by_code[owner].level == "province"):
            tied = [owner]
        m.codes = tied if len(tied) == 1 else []


def _own_scores(mentions: list[Mention]) -> tuple[dict[str, float], dict[str, Mention]]:
    own: dict[str, float] = defaultdict(float)
    best: dict[str, Mention] = {}
    for m in mentions:
        if m.consumed or len(m.codes) != 1:
            continue
        code = m.codes[0]
        own[code] += m.weight
        if code not in best or m.weight > best[code].weight:
            best[code] = m
    return own, best


def _choose(own: dict[str, float]) -> str | None:
    """Top-down: best province, best city in it, best county in that; then the level with the
    most own weight along that path (ties go to the higher level)."""
    g = gazetteer()
    subtree: dict[str, float] = defaultdict(float)
    for code, score in own.items():
        for anc in g.ancestors(code):
            subtree[anc] += score
    path, parent = [], None
    for _ in range(3):
        options = [c for c in subtree if g.by_code[c].parent_code == parent and subtree[c] > 0]
        if not options:
            break
        options.sort(key=lambda c: -subtree[c])
        if len(options) > 1 and subtree[options[0]] == subtree[options[1]]:
            if not path:
                return None
            break
        path.append(options[0])
        parent = options[0]
    if not path:
        return None
    top = max(own.get(c, 0.0) for c in path)
    winner = next(c for c in path if own.get(c, 0.0) == top)  # ties go to the higher level
    rivals = [s for c, s in own.items() if c != winner and g.by_code[c].level == g.by_code[winner].level]
    if own.get(winner, 0.0) < MIN_SCORE or any(s >= own[winner] for s in rivals):
        return None
    return winner


def resolve(text: str, title: str | None = None, issuer: str | None = None) -> Region:
    """The region a report is about, or an empty Region when none or ambiguous."""
    mentions = []
    for zone, value in (("title", title), ("issuer", issuer)):
        for m in _find(value or "", zone):
            m.weight *= WEIGHTS[zone]
            mentions.append(m)
    mentions.extend(_text_mentions(text or ""))
    _disambiguate(mentions)
    _tie_stems(mentions)
    own, best = _own_scores(mentions)
    code = _choose(own)
    if code is None:
        return Region()
    return gazetteer().by_code[code].region(best[code].surface)
