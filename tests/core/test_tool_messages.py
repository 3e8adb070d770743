"""The tool rules' messages (AGT400 unknown, AGT401 deprecated, AGT402 removed) say each
thing once: one piece of advice, each tool named once, no punctuation pile-ups.

Checked over every fixture, the corpus and a set of lists that reach every branch; the
exact wording of each branch is specified by the fixture markers
(``tests/fixtures/agents/unknown-tool-other-vocabulary.md``, ``removed-tool-advice.md``,
``removed-tool-none-resolve.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from agentls.core.document import Document
from agentls.facts.targets import classify
from agentls.facts.tools import FOREIGN_TOOLS, OLD_TOOLS
from agentls.rules.lint import context_for, lint

TESTS = Path(__file__).resolve().parents[1]
CODES = {"AGT400", "AGT401", "AGT402"}
HEAD = "---\nname: code-reviewer\ndescription: Reviews code for quality and security. Use after code changes.\n"
LISTS = [
    "tools: " + ", ".join(OLD_TOOLS),  # every old name, with one resolving entry (`Task`)
    "tools: " + ", ".join(t for t in OLD_TOOLS if OLD_TOOLS[t].status == "removed"),  # none resolve
    "tools: Read, Edit, Glob, TaskStop, " + ", ".join(OLD_TOOLS),  # replacements already listed
    "tools: " + ", ".join(t.name for t in FOREIGN_TOOLS.values()),
    "tools: Read, " + ", ".join(t.name for t in FOREIGN_TOOLS.values()),
    "tools: Grepp, grepp, GREP, webFetch, Read Grep, Bsh, web/fetch, vscode/askQuestions",
    "disallowedTools: " + ", ".join(OLD_TOOLS),
]


def messages() -> list[str]:
    out = []
    for path in sorted((TESTS / "fixtures").rglob("*.md")) + sorted((TESTS / "data" / "corpus").rglob("*.md")):
        if "workspaces" in path.parts:
            continue
        kind = classify(path)[0] or "agent"
        ctx = context_for(str(path), kind=kind)
        doc = Document(path.read_bytes().decode("utf-8", errors="replace"), str(path), kind)
        out += [f.message for f in lint(doc, ctx) if f.code in CODES]
    for kind, path in (("agent", "/ws/.claude/agents/a.md"), ("skill", "/ws/.claude/skills/a/SKILL.md")):
        ctx = context_for(path, kind=kind)
        for line in LISTS:
            if kind == "skill":
                line = line.replace("tools: ", "allowed-tools: ").replace("disallowedTools", "disallowed-tools")
            doc = Document(HEAD + line + "\n---\nBody.\n", path, kind)
            out += [f.message for f in lint(doc, ctx) if f.code in CODES]
    return out


MESSAGES = messages()


def test_every_branch_is_reached() -> None:
    text = "\n".join(MESSAGES)
    for phrase in ("did you mean", "case-sensitive", "Gemini CLI's name", "VS Code's name", "OpenCode's name",
                   "GitHub Copilot's", "has no such tool", "closest are", "is already listed, so remove it",
                   "never available to subagents, so remove it", "; remove it", "No entry of `tools` resolves",
                   "is deprecated", ", which makes the same edits"):
        assert phrase in text, phrase


@pytest.mark.parametrize("message", sorted(set(MESSAGES)))
def test_message_says_each_thing_once(message: str) -> None:
    names = re.findall(r"`[^`]+`", message)
    assert len(names) == len(set(names)), "a name is repeated"
    assert not re.search(r"[?][:;.,]", message), "punctuation piled on a question"
    assert not re.search(r"\([^)]*\(", message), "nested parentheses"
    assert len(re.findall(r"\buse `", message, re.I)) <= 1, "the advice is given twice"
    assert message.count("did you mean") <= 1
    assert message.count("refuses to launch") <= 1

