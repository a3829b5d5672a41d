"""Which unit a report is about: disambiguate the mentions, weigh them, choose one or none."""
from __future__ import annotations

from collections import Counter, defaultdict

from junheng.document import Region
from junheng.regions.evidence import WEIGHTS, headline, read_page, self_votes, text_mentions
from junheng.regions.gazetteer import COMMON_STEMS, gazetteer
from junheng.regions.mentions import Mention, _find

MIN_SCORE = 2.0  # the least a unit must weigh to be the answer
MIN_ALONE = 1.0  # … when it is the only unit of its level named and of the kind the text calls itself
ALONE_RIVAL = 0.5  # a unit weighing less than this (one in passing) does not count as named
DOMINANCE = 1.5  # the path goes down to a unit only if it outweighs its next sibling this much
DESCEND = 0.75  # a unit deeper on the path wins with this share of the heaviest one on it
CHILD_CREDIT = 1.0  # per unit named under a split unit that calls itself by its kind (我市)
SELF_CAP = 4.0  # self-reference votes counted at most
REPEATED = 3  # a bare short form this frequent is taken as meant
LISTED = 3  # short forms of this many units of one parent tie to that parent's units


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


def _tie_stems(mentions: list[Mention], votes: dict[str, float]) -> None:
    """A bare short form (闵行, 晋江, 朝阳) stands for the one unit of that stem that is named in
    full elsewhere, or lies under a unit named in full (朝阳 with 北京市); failing that, for its
    own unit if it is long (七台河) or a province (四川), or if its context makes it certain
    (昌宁三中, 莆田全市) or it recurs; failing that, for the units of one city that several short
    forms list (昭阳、巧家、盐津等县)."""
    g = gazetteer()
    named = {m.codes[0] for m in mentions if not m.stem and len(m.codes) == 1}
    stems = [m for m in mentions if m.stem]
    repeats = Counter(m.surface for m in stems)
    own_kind = max(votes, key=votes.get) if votes else None
    for m in stems:
        tied = [c for c in m.codes if c in named] or [
            c for c in m.codes if (g.ancestors(c) - {c}) & named]
        owner = g.stem_owner.get(m.surface)
        if not tied and owner and (len(m.surface) > 2 or g.by_code[owner].level == "province"):
            tied = [owner]
        if not tied and (m.validated or repeats[m.surface] >= REPEATED) and m.surface not in COMMON_STEMS:
            tied = m.codes if len(m.codes) == 1 else [c for c in m.codes if _kind(c) == own_kind]
        m.codes, m.stem = (tied, False) if len(tied) == 1 else (m.codes, True)
    _tie_listed([m for m in stems if m.stem])


def _tie_listed(stems: list[Mention]) -> None:
    """Short forms still open: each tied to its unit under a parent that the short forms of at
    least LISTED of its units name (昭阳、巧家、盐津: 昭通市's); else dropped."""
    g = gazetteer()
    surfaces: dict[str, set[str]] = defaultdict(set)
    for m in stems:
        for c in m.codes if m.surface not in COMMON_STEMS else ():
            surfaces[g.by_code[c].parent_code or ""].add(m.surface)
    parents = [p for p, found in surfaces.items() if p and len(found) >= LISTED]
    for m in stems:
        tied = [c for c in m.codes if g.by_code[c].parent_code in parents]
        m.codes = tied if len(tied) == 1 else []
        m.stem = False


def _kind(code: str) -> str:
    """What a unit calls itself: 县, 市, 区, 州, 旗, 盟 or 省 (the last character of its name)."""
    return gazetteer().by_code[code].name[-1]


def _multiplier(code: str, votes: dict[str, float]) -> float:
    """A unit of the kind the text speaks of as its own (我县, 全县, 县委) weighs more."""
    return 1.0 + 0.5 * min(votes.get(_kind(code), 0.0), SELF_CAP)


def _own_scores(mentions: list[Mention], votes: dict[str, float]) -> tuple[dict[str, float], dict[str, Mention]]:
    """Each unit's weight; self-reference multiplies what is not in passing, cited or quoted.
    The best mention of each unit; a unit named only aside gets none."""
    own: dict[str, float] = defaultdict(float)
    best: dict[str, Mention] = {}
    factor: dict[str, float] = {}
    for m in mentions:
        if m.consumed or len(m.codes) != 1:
            continue
        code = m.codes[0]
        if code not in factor:
            factor[code] = _multiplier(code, votes)
        own[code] += m.weight * (1.0 if m.aside else factor[code])
        if not m.aside and (code not in best or m.weight > best[code].weight):
            best[code] = m
    return own, best


def _path(subtree: dict[str, float]) -> tuple[list[str], bool]:
    """Top-down: the best province, the best city in it, the best county in that. The path
    stops (split) above units whose sibling weighs nearly as much (南京 with 秦淮区 and 江宁区)."""
    g = gazetteer()
    path: list[str] = []
    parent = None
    for _ in range(3):
        options = [c for c in subtree if g.by_code[c].parent_code == parent and subtree[c] > 0]
        if not options:
            break
        options.sort(key=lambda c: -subtree[c])
        if len(options) > 1:
            first, second = subtree[options[0]], subtree[options[1]]
            if not path and first == second:
                return [], False
            if path and first < DOMINANCE * second:
                return path, True
        path.append(options[0])
        parent = options[0]
    return path, False


def _choose(score: dict[str, float], votes: dict[str, float], plain: set[str],
            titled: set[str]) -> str | None:
    """The deepest unit on the path that weighs near the most (a county named about as often
    as its city is the more precise answer); a split unit that calls itself by its kind (我市)
    also weighs its units named. None below MIN_SCORE or with a rival as heavy."""
    g = gazetteer()
    subtree: dict[str, float] = defaultdict(float)
    for code, value in score.items():
        for anc in g.ancestors(code):
            subtree[anc] += value
    path, split = _path(subtree)
    if not path:
        return None
    strength = {c: score.get(c, 0.0) for c in path}
    if split:
        last = path[-1]
        kids = [c for c in subtree if g.by_code[c].parent_code == last and subtree[c] > 0]
        kind = _kind(last)
        if votes.get(kind, 0.0) > max([votes.get(_kind(k), 0.0) for k in kids if _kind(k) != kind] + [0.0]):
            strength[last] += CHILD_CREDIT * min(len(kids), 4) * _multiplier(last, votes)
    # 银川将新建…: nothing below the deepest prefecture or county the headline names (a
    # province there is as often the setting: 山东这一地…)
    headline = [i for i, c in enumerate(path) if c in titled and g.by_code[c].level != "province"]
    if headline:
        path = path[:headline[-1] + 1]
    best = max(strength[c] for c in path)
    eligible = [c for c in path if strength[c] >= DESCEND * best]
    winner = eligible[-1]
    level = g.by_code[winner].level
    rivals = [v for c, v in score.items() if c != winner and g.by_code[c].level == level]
    if any(v >= strength[winner] for v in rivals):
        return None
    alone = winner in plain and votes.get(_kind(winner), 0.0) > 0 and not any(v >= ALONE_RIVAL for v in rivals)
    return winner if strength[winner] >= (MIN_ALONE if alone else MIN_SCORE) else None


def resolve(text: str, title: str | None = None, issuer: str | None = None) -> Region:
    """The region a report is about, or an empty Region when none or ambiguous."""
    text = text or ""
    page = read_page(text)
    title, heading = headline(page, title)
    issued = _find(issuer or "", "issuer")
    for m in issued:
        m.weight *= WEIGHTS["issuer"]
    body = text_mentions(text, page)
    votes = self_votes(text, body, page.skip)
    for kind, value in self_votes(title or "", heading).items():
        votes[kind] += value
    mentions = heading + issued + body
    _disambiguate(mentions)
    _tie_stems(mentions, votes)
    score, best = _own_scores(mentions, votes)
    titled = {m.codes[0] for m in heading if len(m.codes) == 1 and not m.aside}
    code = _choose(score, votes, set(best), titled)
    if code is None:
        return Region()
    mention = best.get(code)
    return gazetteer().by_code[code].region(mention.surface if mention else None)
