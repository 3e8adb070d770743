"""Every corpus file is checked without an exception, and no error-level finding lands
on a file that Claude Code loads.

Whether Claude Code loads an agent is decided here independently of agentls's parser:
python-frontmatter (strict YAML) must read a mapping with string `name` and
`description`, the name must not contain `:` or start with `-`, and the file must start
with `---`. A file strict YAML rejects still loads when every field is a `key: value`
line and only one-line values are invalid (Claude Code's lenient reader), with LF
line endings.
"""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest
import yaml
from agentls.cli.main import check_paths
from agentls.rules.registry import Severity

CORPUS = Path(__file__).parent.parent / "data" / "corpus"


@pytest.fixture(scope="module")
def results():
    return check_paths([str(CORPUS)], root=str(CORPUS))


def claude_code_loads(text: str) -> bool:
    if not text.startswith("---\n"):
        return False
    try:
        post = frontmatter.loads(text)
        meta = post.metadata
    except yaml.YAMLError:
        meta = _lenient(text)
        if meta is None:
            return False
    name, description = meta.get("name"), meta.get("description")
    if not isinstance(name, str) or not isinstance(description, str) or not description.strip():
        return False
    return ":" not in name and not name.startswith("-")


def _lenient(text: str) -> dict | None:
    if "\r" in text:
        return None
    end = text.find("\n---", 4)
    if end < 0:
        return None
    meta = {}
    for line in text[4:end].split("\n"):
        m = re.match(r"([A-Za-z][\w-]*):\s?(.*)$", line)
        if m:
            meta[m.group(1)] = m.group(2).strip()
        elif line.strip() and not line.startswith((" ", "\t", "#")):
            return None  # an unindented continuation line: Claude Code skips the file
    return meta


def test_corpus_is_complete(results):
    kinds = {}
    for r in results:
        kinds[r.doc.kind] = kinds.get(r.doc.kind, 0) + 1
    assert len(results) == 318  # 321 files less the 3 prompt files inside a skill folder
    assert kinds == {"agent": 258, "command": 30, "skill": 30}
    assert not [r.display for r in results if r.error]


def test_no_error_on_files_claude_code_loads(results):
    offenders = []
    for r in results:
        if r.doc.kind != "agent" or not claude_code_loads(r.doc.text):
            continue
        for f in r.findings:
            if f.severity == Severity.ERROR:
                line, col = r.doc.index.position(f.span.start)
                offenders.append(f"{r.display}:{line + 1}:{col + 1}: {f.code} {f.message}")
    assert not offenders, "\n".join(offenders)


def test_the_oracle_agrees_that_most_agents_load(results):
    agents = [r for r in results if r.doc.kind == "agent"]
    loaded = [r for r in agents if claude_code_loads(r.doc.text)]
    assert len(loaded) >= len(agents) - 3
    # The one agent without frontmatter is reported as an error, and it does not load.
    errors = {r.display for r in agents for f in r.findings if f.severity == Severity.ERROR}
    assert errors == {r.display for r in agents if not claude_code_loads(r.doc.text)}
