"""The five real seed files produce exactly the defects their README names.

See tests/data/seeds/README.md: every seed claims `name: backend-engineer`; 000 and 003
hold literal `\\n` sequences (28 and 20); 001 has the one-line description with `: `
that only Claude Code's lenient reader accepts; 003 and 004 contain mojibake.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from agentls.cli.main import check_paths

SEEDS = Path(__file__).parent.parent / "data" / "seeds"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    agents = root / ".claude" / "agents"
    agents.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, agents / (seed.stem + ".md"))
    return {r.path.stem[:3]: r for r in check_paths([str(root)], root=str(root))}


def column_of(text: str, line: int, token: str) -> int:
    """1-based code-point column of ``token`` on 1-based ``line``, found independently."""
    source = text.split("\n")[line - 1]
    assert token in source
    return source.index(token) + 1


EXPECTED = {
    "000": [("AGT211", 3, "\\\\n", "28 literal")],
    "001": [("AGT011", 3, "Examples:", "invalid YAML")],
    "002": [],
    "003": [("AGT211", 3, "\\\\n", "20 literal"), ("AGT502", 77, "ðŸ“‹", "should be `📋`")],
    "004": [("AGT502", 190, "â€”", "should be `—`")],
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_defects(results, seed):
    result = results[seed]
    text = result.doc.text
    got = []
    for f in result.findings:
        line, col = result.doc.index.position(f.span.start)
        got.append((f.code, line + 1, col + 1, f.message))
    expected = [("AGT700", 2, column_of(text, 2, "backend-engineer"), "5 agents are named `backend-engineer`")]
    for code, line, token, words in EXPECTED[seed]:
        col = column_of(text, line, token)
        if code == "AGT011":
            col += len("Examples")  # the `:` that strict YAML rejects
        expected.append((code, line, col, words))
    assert [(c, ln, col) for c, ln, col, _ in sorted(got)] == sorted((c, ln, col) for c, ln, col, _ in expected)
    for code, line, col, words in expected:
        message = next(m for c, ln, k, m in got if (c, ln, k) == (code, line, col))
        assert words in message, message


def test_duplicate_name_points_at_the_other_four(results):
    finding = next(f for f in results["002"].findings if f.code == "AGT700")
    assert len(finding.related) == 4
    assert {Path(r.path).stem[:3] for r in finding.related} == {"000", "001", "003", "004"}
    assert all(r.line == 1 for r in finding.related)


def test_lenient_seed_still_reads_every_field(results):
    doc = results["001"].doc
    assert [e.key for e in doc.frontmatter.entries] == ["name", "description", "color"]
    assert doc.get("description").lenient
    assert doc.description.startswith("Use this agent when you need to design")
    assert doc.get("color").value.value == "blue"


def test_mojibake_is_repaired_in_the_fix(results):
    f = next(f for f in results["004"].findings if f.code == "AGT502")
    assert f.fix is not None and f.fix.safe
    assert [e.new_text for e in f.fix.edits] == ["—"]
