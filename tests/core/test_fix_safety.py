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

A declared-fixable rule must emit a fix somewhere. And whatever the declaration, a safe
fix never changes what Claude Code acts on: the tools, permissions, model and every other
field that is not descriptive read the same before and after it.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest
from agentls.cli.main import check_paths
from agentls.core.document import Document
from agentls.engine.fixes import apply_edits
from agentls.facts.fields import FIELDS_BY_KIND
from agentls.facts.tools import OLD_TOOLS, TOOLS
from agentls.rules.lint import Context, context_for, lint
from agentls.rules.ruleset import all_rules
from helpers.workspace import VIRTUAL

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures"
FIXTURES_FIX = TESTS / "fixtures_fix"
SEEDS = TESTS / "data" / "seeds"
CORPUS = TESTS / "data" / "corpus"

KINDS = {"agents": ("agent", False), "plugin-agents": ("agent", True), "skills": ("skill", False),
         "commands": ("command", False)}

# code -> "fixtures" | "corpus" -> {True: safe fixes, False: unsafe fixes, None: findings without a fix}
Seen = dict[str, dict[str, collections.Counter]]


# Fields that only describe the file; every other field changes what the agent does.
DESCRIPTIVE = {"name", "description", "when_to_use", "argument-hint", "color", "metadata", "license",
               "compatibility", "version"}


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
        ctx = context_for(VIRTUAL[kind], kind=None if "-" in kind else kind)  # another tool's: by location
        _record(seen, "fixtures", str(path.relative_to(TESTS)),
                lint(Document(read(path), ctx.path, ctx.kind), ctx), examples)
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
        assert total[True] > 10 and total[False] > 0 and total[None] > 5, (where, total)


# -- a safe fix never changes what Claude Code acts on ------------------------------------
def behaviour(text: str, kind: str) -> dict | None:
    """What Claude Code acts on in the file, as it reads it (independently of the rules):
    each known, non-descriptive field (the last of duplicates) with the value Claude Code
    uses: an enumerated value only if allowed, tools as the set of names that resolve.
    ``None`` when Claude Code reads no fields at all."""
    doc = Document(text, VIRTUAL[kind], kind)
    fm = doc.frontmatter
    if fm is None or not fm.readable:
        return None
    out = {}
    for key, entry in doc.entries.items():
        field = FIELDS_BY_KIND[kind].get(key)
        if field is None or key in DESCRIPTIVE or entry.value is None:
            continue
        raw = doc.slice(entry.value.span)
        if field.type == "enum":
            out[key] = entry.value.value if entry.value.value in field.value_names else None
        elif field.type == "tools":
            names = set()
            for part in re.split(r"[,\n]" if kind == "agent" else r"[,\s]", raw.strip("[]")):
                name = part.strip().strip("-").strip().strip("'\"")
                base = name.split("(")[0]
                if base in OLD_TOOLS and OLD_TOOLS[base].status == "alias":
                    name = name.replace(base, OLD_TOOLS[base].replacement, 1)
                if base in TOOLS or base in OLD_TOOLS and OLD_TOOLS[base].status == "alias" \
                        or re.fullmatch(r"mcp__\w[\w.-]*(__[\w.*-]+)?|\*", name):
                    names.add(name)
            out[key] = frozenset(names)
        else:
            # What Claude Code reads: the scalar's value (`'@x'` and a requoted `@x` are
            # both `@x`), or the text of a mapping or a list
            value = getattr(entry.value, "value", None)
            out[key] = value if isinstance(value, str) else raw
    return out


# The one exception, a deliberate choice of the project: a plain typo of a Claude Code
# tool name (`Grepp` -> `Grep`, same shape, one candidate) is fixed safely.
TYPO = "AGT400"


def safe_fixes():
    for folder, (kind, _plugin) in KINDS.items():
        for path in sorted((FIXTURES / folder).rglob("*.md")):
            yield str(path.relative_to(TESTS)), read(path), kind
    for path in sorted(FIXTURES_FIX.glob("*/*.md")):
        if path.parent.name in VIRTUAL and "-" not in path.parent.name:  # Claude Code's files
            yield str(path.relative_to(TESTS)), read(path), path.parent.name
    for path in sorted(SEEDS.glob("*.txt")):
        yield str(path.relative_to(TESTS)), read(path), "agent"
    for path in sorted(CORPUS.rglob("*.md")):
        from agentls.facts.targets import classify
        yield str(path.relative_to(TESTS)), read(path), classify(path)[0] or "agent"
    head = "---\nname: code-reviewer\ndescription: Reviews code for quality. Use after code changes.\n"
    for line in ["tool: Read", "Tools: Read", "permissionmode: plan", "maxturns: 3", "disallowedtools: Bash",
                 "mcpservers:\n  - github", "permissionMode: acceptEdit", "permissionMode: bypassPermission",
                 "effort: High", "memory: Project", "isolation: Worktree", "model: Sonnet",
                 "tools: Read, LS", "tools:\n  - BashOutput\n  - TeamCreate", "tools: read, fetch, glob",
                 "tools: Read, Task", "disallowedTools: MultiEdit", "color: gren", "colr: blue"]:
        yield f"generated: {line!r}", head + line + "\n---\nBody.\n", "agent"
    skill = "---\nname: code-review\ndescription: Reviews code for quality. Use after code changes.\n"
    for line in ["allowed_tools: Read Grep", "allowedTools: Read", "context: Fork", "argument_hint: x"]:
        yield f"generated skill: {line!r}", skill + line + "\n---\nBody.\n", "skill"


def test_a_safe_fix_never_changes_what_the_agent_can_do() -> None:
    changed = []
    checked = 0
    for origin, text, kind in safe_fixes():
        before = behaviour(text, kind)
        if before is None:
            continue  # Claude Code reads nothing yet: a fix that lets it read the file is the point
        ctx = context_for(VIRTUAL[kind], kind=kind)
        for f in lint(Document(text, ctx.path, kind), ctx):
            if f.fix is None or not f.fix.safe or f.code == TYPO:
                continue
            checked += 1
            after = behaviour(apply_edits(text, f.fix.edits), kind)
            if after != before:
                changed.append(f"{origin}: {f.code} {f.fix.title}: {before} -> {after}")
    assert checked > 50
    assert not changed, "safe fixes that change what the agent can do:\n" + "\n".join(changed)
