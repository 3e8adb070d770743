"""Fixes: every fixable rule against its fixture pair, the applier, and properties.

Fixture pairs live in ``tests/fixtures_fix/<kind>/`` (another tool's files in
``<target>-<kind>/``, such as ``gemini-agent/``): ``<CODE>-<slug>.md`` is the input
and ``<CODE>-<slug>.fixed.md`` the exact expected output after applying the fixes of
rule ``<CODE>`` (safe fixes only, unless the name has ``.unsafe``). The files are
byte-exact (``.gitattributes`` there: ``-text``), so CRLF, BOM and control characters
are real.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest
from agentls.core.document import Document
from agentls.core.text import Span
from agentls.engine.fixes import FixResult, apply_edits, fix_document, fix_text, try_fix, verify
from agentls.facts.targets import classify
from agentls.rules.lint import Context, context_for, lint
from agentls.rules.registry import Edit, Fix
from agentls.rules.ruleset import all_rules
from helpers.workspace import VIRTUAL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures_fix"
CORPUS = ROOT / "data" / "corpus"
SEEDS = ROOT / "data" / "seeds"

NAME = re.compile(r"(AGT\d{3})-[\w-]+?(\.unsafe)?\.md")


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def fixture_cases() -> list[tuple[str, str, Path, bool]]:
    cases = []
    for path in sorted(FIXTURES.glob("*/*.md")):
        if path.name.endswith(".fixed.md"):
            continue
        m = NAME.fullmatch(path.name)
        assert m, f"fixture name {path.name} is not <CODE>-<slug>[.unsafe].md"
        cases.append((path.parent.name, m.group(1), path, bool(m.group(2))))
    return cases


CASES = fixture_cases()


def ctx_for(kind: str) -> Context:
    if "-" in kind:  # another tool's file: as its location says
        return context_for(VIRTUAL[kind])
    return context_for(VIRTUAL[kind], kind=kind)


@pytest.mark.parametrize("kind,code,path,unsafe", CASES, ids=[f"{c[0]}/{c[2].name}" for c in CASES])
def test_fix_fixture(kind: str, code: str, path: Path, unsafe: bool) -> None:
    text = read(path)
    expected = read(path.with_name(path.name[:-3] + ".fixed.md"))
    ctx = ctx_for(kind)
    before = lint(Document(text, ctx.path, ctx.kind), ctx)
    target = [f for f in before if f.code == code]
    assert target, f"{path.name}: no {code} finding to fix"
    assert all(f.fix is not None for f in target), f"{path.name}: a {code} finding has no fix"
    if unsafe:
        assert any(not f.fix.safe for f in target), "an .unsafe fixture must exercise an unsafe fix"
        safe_only = fix_text(text, ctx, codes={code})
        assert safe_only.text == text or any(f.code == code for f in safe_only.remaining), \
            "unsafe fixes must not be applied without unsafe=True"
    else:
        assert all(f.fix.safe for f in target), "a fixture without .unsafe expects safe fixes"

    result = fix_text(text, ctx, codes={code}, unsafe=unsafe)
    assert result.text == expected
    assert result.converged and not result.skipped
    # The finding is gone, and no finding appeared that was not there before.
    assert not [f for f in result.remaining if f.code == code]
    was = collections.Counter(f.code for f in before)
    now = collections.Counter(f.code for f in result.remaining)
    assert not (now - was), f"new findings after the fix: {now - was}"
    # The composed edits reproduce the result and are minimal: they stay on the lines the
    # findings' fixes touched (never a rewrite of the document).
    assert apply_edits(text, result.edits) == expected
    index = Document(text).index

    def lines(span: Span) -> set[int]:
        return set(range(index.line_of(span.start), index.line_of(max(span.start, span.end - 1)) + 1))

    allowed = set().union(*(lines(e.span) for f in target for e in f.fix.edits))
    for e in result.edits:
        assert lines(e.span) <= allowed, f"edit {e} strays from the fixed lines {sorted(allowed)}"
    # Fixing the fixed file changes nothing.
    assert fix_text(expected, ctx, unsafe=unsafe).text == expected


def test_every_fixable_rule_has_a_fixture() -> None:
    """Registry-driven: a rule marked fixable needs at least one fixture pair."""
    covered = {code for _, code, _, _ in CASES}
    missing = [r.code + " " + r.name for r in all_rules() if r.fixable and r.code not in covered]
    assert not missing, f"fixable rules without a fixture in tests/fixtures_fix: {missing}"


def test_fixture_safety_matches_registry() -> None:
    """``fixable="safe"`` rules have a safe fixture, ``"unsafe"`` ones an unsafe one."""
    by_code = collections.defaultdict(set)
    for _, code, _, unsafe in CASES:
        by_code[code].add(unsafe)
    for r in all_rules():
        if r.fixable == "safe":
            assert False in by_code[r.code], f"{r.code}: safe rule without a safe fixture"
        if r.fixable == "unsafe":
            assert by_code[r.code] == {True}, f"{r.code}: unsafe rule with a safe fixture"


def test_every_fixed_file_exists_and_pairs() -> None:
    for path in FIXTURES.glob("*/*.fixed.md"):
        assert path.with_name(path.name[: -len(".fixed.md")] + ".md").exists(), f"orphan {path.name}"
    for _, _, path, _ in CASES:
        assert path.with_name(path.name[:-3] + ".fixed.md").exists(), f"{path.name} has no .fixed.md"


# -- the applier ---------------------------------------------------------------------------
def test_apply_edits_back_to_front() -> None:
    text = "abcdef"
    edits = [Edit(Span(4, 5), "E"), Edit(Span(0, 1), "AA"), Edit(Span(2, 2), "+")]
    assert apply_edits(text, edits) == "AAb+cdEf"


@pytest.mark.parametrize("edits", [
    [Edit(Span(0, 3), "x"), Edit(Span(2, 4), "y")],  # overlap
    [Edit(Span(1, 1), "x"), Edit(Span(1, 1), "y")],  # two insertions at one point
    [Edit(Span(0, 9), "x")],  # outside the text
    [Edit(Span(3, 2), "x")],  # reversed
])
def test_apply_edits_rejects_overlaps(edits) -> None:
    with pytest.raises(ValueError):
        apply_edits("abcdef", edits)


AGENT = "---\nname: code-reviewer\ndescription: Reviews code for quality and security. Use after code changes.\n"


def test_overlapping_fixes_take_more_passes() -> None:
    """Adjacent removals overlap; the second is applied after re-linting."""
    text = AGENT + "tools: Read, Edit, Glob, LS, MultiEdit, NotebookRead\n---\nBody.\n"
    result = fix_text(text, ctx_for("agent"))
    assert result.text == AGENT + "tools: Read, Edit, Glob\n---\nBody.\n"
    assert result.passes >= 2
    assert [f.code for f in result.fixed].count("AGT402") == 3
    assert apply_edits(text, result.edits) == result.text


def test_escaped_newlines_and_strict_only_on_one_value() -> None:
    """A plain one-line description with ``: `` and ``\\n``: both fixes touch it; it ends as a block."""
    text = "---\nname: code-reviewer\ndescription: Use when: reviewing.\\n<example>\\nuser: go\\n</example>\n---\nBody.\n"
    result = fix_text(text, ctx_for("agent"))
    assert result.text == ("---\nname: code-reviewer\ndescription: |-\n  Use when: reviewing.\n  <example>\n"
                           "  user: go\n  </example>\n---\nBody.\n")
    assert not result.remaining


def test_crlf_with_other_fixes() -> None:
    text = (AGENT + "tools: Read, Grepp\n---\nBody \u00e2\u20ac\u201d end\n").replace("\n", "\r\n")
    result = fix_text(text, ctx_for("agent"))
    assert result.text == AGENT + "tools: Read, Grep\n---\nBody \u2014 end\n"
    assert apply_edits(text, result.edits) == result.text
    assert not result.remaining


def test_unsafe_fixes_need_unsafe() -> None:
    text = AGENT.replace("code-reviewer", "Code_Reviewer") + "---\nBody.\n"
    assert fix_text(text, ctx_for("agent")).text == text
    assert "name: code-reviewer\n" in fix_text(text, ctx_for("agent"), unsafe=True).text


@pytest.mark.parametrize("tools", [
    "tools:\n  - TeamCreate\n",
    "tools:\n  - BashOutput\n  - TeamCreate\n",
    "tools: [TeamCreate, TeamDelete]\n",
])
def test_removing_removed_tools_never_empties_tools(tools: str) -> None:
    """Claude Code resolves none of these, so it refuses to launch the agent; removing
    them all would leave `tools` empty, which gives the agent every tool. No fix does that."""
    text = AGENT + tools + "---\nBody.\n"
    found = [f for f in lint(Document(text, VIRTUAL["agent"], "agent"), ctx_for("agent")) if f.code == "AGT402"]
    assert found and all(f.severity.label == "error" for f in found)
    assert all(f.fix is None for f in found)
    assert fix_text(text, ctx_for("agent"), unsafe=True).text == text


def test_removing_a_removed_tool_beside_a_real_one_is_safe() -> None:
    text = AGENT + "tools:\n  - Read\n  - TeamCreate\n---\nBody.\n"
    assert fix_text(text, ctx_for("agent")).text == AGENT + "tools:\n  - Read\n---\nBody.\n"


@pytest.mark.parametrize("tools,fixed", [
    ("tools: read_file, web_fetch, glob", "tools: Read, WebFetch, Glob"),  # Gemini CLI
    ("tools: ['codebase', 'fetch', 'search']", "tools: ['codebase', 'WebFetch', 'search']"),  # VS Code
    ("tools: Read, read", None),  # Copilot and OpenCode: Read is already listed
    ("tools: Read, webFetch", "tools: Read, WebFetch"),  # case only
])
def test_other_vocabularies_are_never_fixed_safely(tools: str, fixed: str | None) -> None:
    """`fetch`, `read_file`, `glob` are other tools' names: the file was probably written for
    that tool, where renaming breaks it. `check --fix` leaves them; `--unsafe-fixes` renames."""
    text = AGENT + tools + "\n---\nBody.\n"
    ctx = ctx_for("agent")
    found = [f for f in lint(Document(text, ctx.path, "agent"), ctx) if f.code == "AGT400"]
    assert found and all(f.fix is None or not f.fix.safe for f in found)
    assert fix_text(text, ctx).text == text
    if fixed is not None:
        assert fix_text(text, ctx, unsafe=True).text == AGENT + fixed + "\n---\nBody.\n"


def test_verify_refuses_a_fix_that_breaks_the_frontmatter() -> None:
    """A (hypothetical, buggy) fix whose result no longer parses is skipped, not applied."""
    text = AGENT + "model: sonnet\n---\nBody.\n"
    doc = Document(text, VIRTUAL["agent"], "agent")
    at = text.index("sonnet")
    breaking = Fix("break it", (Edit(Span(at, at + 6), "[sonnet"),))
    assert try_fix(doc, breaking) is None
    dropping = Fix("drop a field", (Edit(Span(at - 7, at + 7), ""),))  # touches only `model`
    assert try_fix(doc, dropping) is not None
    far = text.index("name")
    changes_other = Fix("change name via the model edit", (Edit(Span(far + 6, far + 10), "xxxx"),))
    assert try_fix(doc, changes_other) is not None  # it touches `name` itself: allowed
    after = Document(apply_edits(text, [Edit(Span(far + 6, far + 10), "xxxx")]), doc.path, "agent")
    assert not verify(doc, after, [Edit(Span(at, at + 6), "opus")])  # claims to touch model only


def test_refused_fix_is_reported_as_skipped(monkeypatch) -> None:
    """A rule whose fix would break the YAML: the finding stays and is reported skipped."""
    from agentls.engine import fixes as fixes_mod

    text = AGENT + "tools: Read, Grepp\n---\nBody.\n"
    real_lint = fixes_mod.lint

    def lint_with_bad_fix(doc, ctx, settings=None):
        found = real_lint(doc, ctx, settings)
        for f in found:
            if f.code == "AGT400" and f.fix is not None:
                e = f.fix.edits[0]
                f.fix = Fix(f.fix.title, (Edit(e.span, "Grep: [x"),), True)
        return found

    monkeypatch.setattr(fixes_mod, "lint", lint_with_bad_fix)
    result = fix_text(text, ctx_for("agent"))
    assert result.text == text
    assert [f.code for f in result.skipped] == ["AGT400"]
    assert [f.code for f in result.remaining] == ["AGT400"]


def test_seeds_are_fixed() -> None:
    """Every seed: safe fixes remove every safely fixable finding, and change only those spans."""
    for path in sorted(SEEDS.glob("*.txt")):
        text = read(path)
        ctx = ctx_for("agent")
        result = fix_text(text, ctx)
        assert not [f for f in result.remaining if f.fix is not None and f.fix.safe], path.name
        assert apply_edits(text, result.edits) == result.text
    seed0 = read(SEEDS / "000_89237587c3c5c425.txt")
    fixed = fix_text(seed0, ctx_for("agent")).text
    doc = Document(fixed, VIRTUAL["agent"], "agent")
    original = Document(seed0, VIRTUAL["agent"], "agent")
    assert doc.get("description").value.style == "|"
    assert doc.description == original.description.replace("\\n", "\n")
    assert doc.body_text == original.body_text


# -- properties ----------------------------------------------------------------------------
def check_properties(text: str, ctx: Context, unsafe: bool) -> FixResult:
    once = fix_text(text, ctx, unsafe=unsafe)
    # Idempotent: fixing again changes nothing.
    twice = fix_text(once.text, ctx, unsafe=unsafe)
    assert twice.text == once.text
    # Nothing lost: the composed edits rebuild the result, and every character outside
    # them is where it was (checked independently of the applier, gap by gap).
    edits = sorted(once.edits, key=lambda e: e.span.start)
    assert apply_edits(text, edits) == once.text
    pos_before = pos_after = 0
    for e in edits:
        gap = text[pos_before:e.span.start]
        assert once.text[pos_after:pos_after + len(gap)] == gap
        pos_after += len(gap) + len(e.new_text)
        assert once.text[pos_after - len(e.new_text):pos_after] == e.new_text
        pos_before = e.span.end
    assert once.text[pos_after:] == text[pos_before:]
    # Each composed edit lies inside something a fix proposed (it never strays).
    assert len(once.edits) <= max(1, sum(len(f.fix.edits) for f in once.fixed))
    # Fields no fix touched keep their values; the body keeps its words.
    before, after = Document(text, ctx.path, ctx.kind), Document(once.text, ctx.path, ctx.kind)
    if before.frontmatter is not None and before.frontmatter.readable:
        assert after.frontmatter is not None and after.frontmatter.readable
    for key, entry in before.entries.items():
        if not any(e.span.start <= entry.span.end and entry.span.start <= e.span.end for e in edits):
            assert key in after.entries
    return once


CORPUS_FILES = sorted(CORPUS.rglob("*.md"))


def test_corpus_fix_properties() -> None:
    assert len(CORPUS_FILES) > 100
    changed = 0
    for path in CORPUS_FILES:
        kind = classify(path)[0] or "agent"
        ctx = context_for(str(path), kind=kind)
        text = read(path)
        for unsafe in (False, True):
            result = check_properties(text, ctx, unsafe)
            changed += result.changed
            if not unsafe:
                assert not [f for f in result.remaining if f.fix is not None and f.fix.safe
                            and try_fix(Document(result.text, ctx.path, kind), f.fix) is not None], path
    assert changed > 20  # the corpus has plenty to fix; a no-op fixer must fail here


FM_LINES = [
    "name: code-reviewer\n", "name: Code_Reviewer\n", "name: yes\n", "name: team:review\n", "name:\n",
    "description: Reviews code for quality and security. Use after code changes.\n",
    "description: Use when: reviewing. Examples: <example>Context: x</example>\n",
    "description: Use for reviews.\\n\\n<example>\\nuser: go\\n</example>\n",
    'description: "Quoted \\\\n escape and \\"quotes\\""\n',
    "description: |-\n  Block text\n  second line\n",
    "tools: Read, Grepp, LS, MultiEdit, Task\n", "tools: Read, Grep, Read\n", "tools: [Glob, KillShell, LS]\n",
    "tools:\n  - Read\n  - LS\n  - Grepp\n", "tools: mcp_github_issue\n", "tool: Read\n",
    "model: sonnet\n", "model: opus\n", "model: Claude Sonnet 4\n", "color: magenta\n", "color: gren\n",
    "permissionMode: acceptEdit\n", "effort: High\n", "maxturns: 3\n", "# a comment\n",
    "skills:\n  - api-conventions\n", "model: sonnet # trailing comment\n",
]
BODY_LINES = [
    "You review code.\n", "\n", "## Steps\n", "Be thorough\u00e2\u20ac\u201dalways.\n", "Emoji \u00f0\u0178\u201c\u2039 here.\n",
    "Ctrl\x07 char.\n", "```\n---\n```\n", "<example>\nuser: x\n</example>\n", "Caf\u00c3\u00a9 and \u00c3\u00bc.\n",
    "# Title\n", "Plain line with: colon.\n",
]


@st.composite
def documents(draw) -> str:
    prefix = draw(st.sampled_from(["", "\ufeff", "\n\n", " \n"]))
    fence = draw(st.sampled_from(["---\n", "---\n", "---\n", "-----\n"]))
    fm = "".join(draw(st.lists(st.sampled_from(FM_LINES), max_size=7)))
    close = draw(st.sampled_from(["---\n", "---\n", "---\n", "----------\n", "--- end\n"]))
    body = "".join(draw(st.lists(st.sampled_from(BODY_LINES), max_size=6)))
    text = prefix + fence + fm + close + body
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents(), unsafe=st.booleans(), kind=st.sampled_from(["agent", "agent", "skill", "command"]))
def test_generated_fix_properties(text: str, unsafe: bool, kind: str) -> None:
    check_properties(text, ctx_for(kind), unsafe)


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab:-\n\r #'\"\\n\u00e2\u20ac\u201d\ufeff\x00[]")), max_size=80))
def test_arbitrary_text_fix_properties(text: str) -> None:
    check_properties("---\n" + text, ctx_for("agent"), True)


def test_fix_document_reuses_findings() -> None:
    text = AGENT + "tools: Grepp\n---\nBody.\n"
    doc = Document(text, VIRTUAL["agent"], "agent")
    ctx = ctx_for("agent")
    result = fix_document(doc, ctx, findings=lint(doc, ctx))
    assert result.text == AGENT + "tools: Grep\n---\nBody.\n"


# -- the CLI -------------------------------------------------------------------------------
def test_cli_fix_diff_and_unsafe(tmp_path, capsys, monkeypatch) -> None:
    from agentls.cli.main import main

    monkeypatch.chdir(tmp_path)
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    f = agents / "code-reviewer.md"
    original = AGENT.replace("code-reviewer", "Code_Reviewer") + "tools: Read, Grepp\n---\nBody.\n"
    f.write_bytes(original.encode())
    bad = agents / "latin1.md"  # not UTF-8: never rewritten, even with fixes
    bad.write_bytes((AGENT + "tools: Grepp\n---\nCaf\xe9.\n").encode("latin-1"))

    # latin1.md keeps its error (all tools unknown): the exit code says so.
    assert main(["check", "--diff", "--color", "never", str(agents)]) == 1
    out, err = capsys.readouterr()
    assert "-tools: Read, Grepp\n+tools: Read, Grep\n" in out and "latin1" not in out
    # latin1.md offers no fix at all (--fix writes only UTF-8 files; AGT504 says why).
    assert "Would fix 1 finding in 1 file" in err and "Not written" not in err
    assert f.read_bytes().decode() == original

    assert main(["check", "--fix", "--color", "never", str(agents)]) == 1
    out, _ = capsys.readouterr()
    assert f.read_bytes().decode() == AGENT.replace("code-reviewer", "Code_Reviewer") + "tools: Read, Grep\n---\nBody.\n"
    assert "AGT202" in out and "Fixed 1 finding in 1 file; " in out and "AGT504" in out
    assert "Not written" not in out and "fixable" not in out
    assert bad.read_bytes() == (AGENT + "tools: Grepp\n---\nCaf\xe9.\n").encode("latin-1")

    assert main(["check", "--fix", "--unsafe-fixes", "--color", "never", str(f)]) == 0
    out, _ = capsys.readouterr()
    assert f.read_bytes().decode() == AGENT + "tools: Read, Grep\n---\nBody.\n"
    assert "Fixed 1 finding in 1 file; 0 remain." in out


def test_cli_exit_code_reflects_remaining_errors(tmp_path, monkeypatch) -> None:
    from agentls.cli.main import main

    monkeypatch.chdir(tmp_path)
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    f = agents / "x.md"
    f.write_text("---\ndescription: Reviews code for quality and security. Use after code changes.\n"
                 "tools: Grepp\n---\nBody.\n")  # missing name (fixable) + all-unknown tools (error, fixable)
    assert main(["check", "--color", "never", str(f)]) == 1
    assert main(["check", "--fix", "--color", "never", str(f)]) == 0
    assert f.read_text() == ("---\nname: x\ndescription: Reviews code for quality and security. Use after code changes.\n"
                             "tools: Grep\n---\nBody.\n")
    g = agents / "y.md"
    g.write_text("---\nname: y\ntools: Grepp\n---\nBody.\n")  # missing description: not fixable
    assert main(["check", "--fix", "--color", "never", str(g)]) == 1


def test_cli_fix_keeps_the_error_of_an_agent_in_another_tools_vocabulary(tmp_path, capsys, monkeypatch) -> None:
    """`check --fix` used to rename Gemini CLI's `read_file`, `web_fetch`, `glob` to Claude
    Code's names as safe fixes: the error went away and the file no longer worked where it
    was written for. Now the file is left alone and the error stays; --unsafe-fixes renames."""
    from agentls.cli.main import main

    monkeypatch.chdir(tmp_path)
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    f = agents / "researcher.md"
    original = AGENT.replace("code-reviewer", "researcher") + "tools: read_file, web_fetch, glob\n---\nBody.\n"
    f.write_text(original)
    assert main(["check", "--fix", "--color", "never", str(f)]) == 1
    out, _ = capsys.readouterr()
    assert f.read_text() == original
    assert "AGT400 No entry of `tools` is a Claude Code tool: these are Gemini CLI tool names" in out
    assert "AGT400 [*]" not in out  # no safe fix offered
    assert main(["check", "--fix", "--unsafe-fixes", "--color", "never", str(f)]) == 0
    assert f.read_text() == original.replace("read_file, web_fetch, glob", "Read, WebFetch, Glob")
