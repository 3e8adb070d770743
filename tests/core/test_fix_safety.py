"""Every emitted fix is as safe as its rule declares (``Rule.fixable``).

``agentls check --fix`` applies the fixes marked safe without asking, and the docs, the
``[*]`` marker and ``agentls rule`` promise what ``fixable`` says. So the declaration is
checked against every fix agentls actually emits, over every fixture, the seeds and the
corpus:

* ``"safe"``: every emitted fix is safe;
* ``"unsafe"``: every emitted fix is unsafe;
* ``None``: no fix is ever emitted;
* ``"sometimes"``: both kinds are emitted, and both are seen in the fixtures (so the
  declaration is not a way out of deciding: each kind is specified by a fixture).

A declared-fixable rule must emit a fix somewhere.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from agentls.cli import check_paths
from agentls.document import Document
from agentls.lint import Context, context_for, lint
from agentls.registry import all_rules

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures"
FIXTURES_FIX = TESTS / "fixtures_fix"
SEEDS = TESTS / "data" / "seeds"
CORPUS = TESTS / "data" / "corpus"

KINDS = {"agents": ("agent", False), "plugin-agents": ("agent", True), "skills": ("skill", False),
         "commands": ("command", False)}
VIRTUAL = {  # as in test_fixes.py: where a fix fixture "lives"
    "agent": "/ws/.claude/agents/code-reviewer.md",
    "skill": "/ws/.claude/skills/code-review/SKILL.md",
    "command": "/ws/.claude/commands/review.md",
}

# code -> "fixtures" | "corpus" -> {True: safe fixes, False: unsafe fixes, None: findings without a fix}
Seen = dict[str, dict[str, collections.Counter]]


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def _record(seen: Seen, where: str, origin: str, findings, examples: dict) -> None:
    for f in findings:
        safe = None if f.fix is None else f.fix.safe
        seen[f.code][where][safe] += 1
        examples.setdefault((f.code, safe), f"{origin}: {f.message}")


@pytest.fixture(scope="module")
def emitted() -> tuple[Seen, dict]:
    seen: Seen = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    examples: dict = {}
    for folder, (kind, plugin) in KINDS.items():
        for path in sorted((FIXTURES / folder).rglob("*.md")):
            doc = Document(read(path), str(path), kind)
            _record(seen, "fixtures", str(path.relative_to(TESTS)),
                    lint(doc, Context(kind, plugin, path=str(path))), examples)
    for folder in sorted(p for p in (FIXTURES / "workspaces").iterdir() if p.is_dir()):
        for r in check_paths([str(folder)], root=str(folder)):
            _record(seen, "fixtures", str(Path(r.path).relative_to(TESTS)), r.findings, examples)
    for path in sorted(FIXTURES_FIX.glob("*/*.md")):
        kind = path.parent.name
        ctx = context_for(VIRTUAL[kind], kind=kind)
        _record(seen, "fixtures", str(path.relative_to(TESTS)),
                lint(Document(read(path), ctx.path, kind), ctx), examples)
    for path in sorted(SEEDS.glob("*.txt")):
        ctx = context_for(VIRTUAL["agent"], kind="agent")
        _record(seen, "corpus", str(path.relative_to(TESTS)),
                lint(Document(read(path), ctx.path, "agent"), ctx), examples)
    results = check_paths([str(CORPUS)], root=str(CORPUS))
    assert len(results) > 300, "the corpus was not found"
    for r in results:
        _record(seen, "corpus", str(Path(r.path).relative_to(TESTS)), r.findings, examples)
    return seen, examples


RULES = sorted(all_rules(), key=lambda r: r.code)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_emitted_fixes_match_declared_safety(rule, emitted) -> None:
    seen, examples = emitted
    fixtures, corpus = seen[rule.code]["fixtures"], seen[rule.code]["corpus"]
    kinds = {k for k in (fixtures + corpus) if k is not None}
    example = {k: examples.get((rule.code, k)) for k in (True, False)}
    if rule.fixable is None:
        assert not kinds, f"{rule.code} declares no fix but emits one: {example}"
    elif rule.fixable == "safe":
        assert kinds == {True}, f"{rule.code} is declared safe; an unsafe fix (or none at all): {example}"
    elif rule.fixable == "unsafe":
        assert kinds == {False}, f"{rule.code} is declared unsafe; a safe fix (or none at all): {example}"
    else:
        assert rule.fixable == "sometimes", f"{rule.code}: fixable={rule.fixable!r} is not a declaration"
        assert fixtures[True] and fixtures[False], (
            f"{rule.code} is declared 'sometimes' but the fixtures show only "
            f"{'safe' if fixtures[True] else 'unsafe' if fixtures[False] else 'no'} fixes: {example}")


def test_the_scan_sees_fixes_of_both_kinds(emitted) -> None:
    """The scan itself works: it sees safe and unsafe fixes, in the fixtures and the corpus."""
    seen, _ = emitted
    for where in ("fixtures", "corpus"):
        total = collections.Counter()
        for by_where in seen.values():
            total += by_where[where]
        assert total[True] > 10 and total[False] > 0 and total[None] > 10, (where, total)
