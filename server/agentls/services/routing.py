"""Routing: what Claude Code reads to choose an agent, and where it cannot choose.

The budget (Claude Code's start-up notice over 15,000 tokens of all custom agents' names
and descriptions) and its token estimate are facts: :mod:`agentls.facts.routing`.

Ambiguity: two agents whose descriptions say nearly the same thing cannot be told apart
by the model that routes. :func:`ambiguous_pairs` scores every pair by the cosine of
their descriptions' TF-IDF word vectors (words of three or more letters, common English
and agent-prose words left out), found through an inverted index of the words (a word
that many agents use, :data:`COMMON_DF`, does not make pairs, and a pair whose shared
rarer words give less than half the threshold is not scored further), so the work
grows with the pairs that share words, not with the square of the agents.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from agentls.engine.settings import DEFAULT_ROUTING_THRESHOLD as DEFAULT_THRESHOLD
from agentls.facts.routing import ROUTING_BUDGET_TOKENS as ROUTING_BUDGET  # noqa: F401  (re-exported)
from agentls.facts.routing import estimate_tokens, routing_tokens  # noqa: F401

# A word in more agents than this makes no pairs (it still counts in the score): a share
# of the agents, at least 10, at most 200 (so a 10,000-agent workspace stays linear).
COMMON_DF = 0.05
MAX_WORDS = 400  # words read from one description
MAX_PAIRS = 1000

_WORD = re.compile(r"[a-z][a-z0-9]+(?:[-'][a-z0-9]+)*")
STOPWORDS = frozenset("""
a about above after again against all also an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers him his how i if in into is it its itself just me more most my no nor not now
of off on once only or other our ours out over own same she should so some such than that the their
them then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours
use uses used using when whenever agent agents subagent proactively example examples user assistant
context commentary task tasks help helps need needs want wants like e.g etc specialist expert
""".split())


def words(text: str) -> list[str]:
    """The content words of a description, lower case, in order (bounded)."""
    text = text.replace("\\n", " ").lower()
    out = []
    for m in _WORD.finditer(text):
        w = m.group(0)
        if len(w) >= 3 and w not in STOPWORDS:
            out.append(w)
            if len(out) >= MAX_WORDS:
                break
    return out


@dataclass(frozen=True, slots=True)
class Pair:
    a: str  # agent names (a < b)
    b: str
    score: float
    shared: tuple[str, ...]  # the words they share, weightiest first
    a_path: str = ""
    b_path: str = ""


def ambiguous_pairs(agents: list[tuple[str, str, str | None]], threshold: float = DEFAULT_THRESHOLD,
                    max_pairs: int = MAX_PAIRS) -> list[Pair]:
    """Pairs of agents (``(path, name, description)`` each) whose descriptions' similarity
    is at least ``threshold``, most similar first. Agents of one name (duplicates, reported
    elsewhere) are not paired with each other."""
    docs: list[tuple[str, str, dict[str, int]]] = []
    for path, name, desc in agents:
        counts: dict[str, int] = {}
        for w in words(desc or ""):
            counts[w] = counts.get(w, 0) + 1
        if counts:
            docs.append((path, name, counts))
    n = len(docs)
    if n < 2:
        return []
    df: dict[str, int] = {}
    for _, _, counts in docs:
        for w in counts:
            df[w] = df.get(w, 0) + 1
    idf = {w: math.log((1 + n) / (1 + d)) + 1 for w, d in df.items()}
    common = max(10, min(200, int(COMMON_DF * n)))
    vectors = []
    postings: dict[str, list[int]] = {}
    for i, (_, _, counts) in enumerate(docs):
        vec = {w: (1 + math.log(c)) * idf[w] for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {w: v / norm for w, v in vec.items()}
        vectors.append(vec)
        for w in vec:
            if df[w] <= common:
                postings.setdefault(w, []).append(i)
    dots: dict[tuple[int, int], float] = {}
    for w, ids in postings.items():
        if len(ids) < 2:
            continue
        for x in range(len(ids)):
            i = ids[x]
            vi = vectors[i][w]
            for y in range(x + 1, len(ids)):
                j = ids[y]
                dots[(i, j)] = dots.get((i, j), 0.0) + vi * vectors[j][w]
    out = []
    for (i, j), _partial in dots.items():
        if _partial < threshold * 0.5:
            continue  # mostly common words in common (low weight): far from the threshold
        vi, vj = vectors[i], vectors[j]
        small, large = (vi, vj) if len(vi) <= len(vj) else (vj, vi)
        score = sum(v * large.get(w, 0.0) for w, v in small.items())
        if score < threshold:
            continue
        pi, ni, _ = docs[i]
        pj, nj, _ = docs[j]
        if ni == nj:
            continue
        shared = sorted((w for w in vi if w in vj), key=lambda w: -(vi[w] * vj[w]))
        if ni > nj:
            ni, nj, pi, pj = nj, ni, pj, pi
        out.append(Pair(ni, nj, round(score, 3), tuple(shared[:8]), pi, pj))
    out.sort(key=lambda p: (-p.score, p.a, p.b))
    return out[:max_pairs]


def most_similar(pairs: list[Pair]) -> dict[str, Pair]:
    """Each agent's most similar partner among ``pairs`` (by path)."""
    best: dict[str, Pair] = {}
    for p in pairs:
        for path in (p.a_path, p.b_path):
            if path not in best or p.score > best[path].score:
                best[path] = p
    return best


class RoutingModel:
    """The descriptions of a workspace's agents, kept file by file, for asking which agent
    is most like one (a code lens): word counts per agent, document frequencies kept as
    agents come and go, and postings of the words few agents use. One question costs the
    agents that share such a word with it."""

    def __init__(self) -> None:
        self._agents: dict[str, tuple[str, dict[str, int]]] = {}  # path -> (name, word counts)
        self._df: dict[str, int] = {}
        self._postings: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._agents)

    def update(self, path: str, name: str | None, description: str | None) -> None:
        self.remove(path)
        if not name:
            return
        counts: dict[str, int] = {}
        for w in words(description or ""):
            counts[w] = counts.get(w, 0) + 1
        self._agents[path] = (name, counts)
        for w in counts:
            self._df[w] = self._df.get(w, 0) + 1
            self._postings.setdefault(w, set()).add(path)

    def remove(self, path: str) -> None:
        old = self._agents.pop(path, None)
        if old is None:
            return
        for w in old[1]:
            left = self._df[w] - 1
            if left:
                self._df[w] = left
                self._postings[w].discard(path)
            else:
                del self._df[w]
                del self._postings[w]

    def _vector(self, counts: dict[str, int], n: int) -> dict[str, float]:
        vec = {w: (1 + math.log(c)) * (math.log((1 + n) / (1 + self._df.get(w, 0))) + 1) for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    def most_like(self, path: str) -> Pair | None:
        """The agent whose description is most like ``path``'s (another name), or None."""
        mine = self._agents.get(path)
        if mine is None or not mine[1]:
            return None
        n = len(self._agents)
        common = max(10, min(200, int(COMMON_DF * n)))
        candidates: set[str] = set()
        for w in mine[1]:
            if self._df.get(w, 0) <= common:
                candidates |= self._postings.get(w, set())
        candidates.discard(path)
        vec = self._vector(mine[1], n)
        best: Pair | None = None
        for other in sorted(candidates):
            name, counts = self._agents[other]
            if name == mine[0]:
                continue
            ov = self._vector(counts, n)
            score = sum(v * ov.get(w, 0.0) for w, v in vec.items())
            if best is None or score > best.score:
                shared = sorted((w for w in vec if w in ov), key=lambda w: -(vec[w] * ov[w]))
                best = Pair(mine[0], name, round(score, 3), tuple(shared[:8]), path, other)
        return best
