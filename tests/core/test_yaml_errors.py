"""Where a YAML error points: at the character, in code points, whatever precedes it.

libyaml reads UTF-8 and reports an unacceptable character's position in bytes, so
after `é`, `\u2028` or an emoji it pointed past the character (into the next line, or
inside a CRLF pair, which has no LSP position at all). Found by the long fuzz run.
"""

from __future__ import annotations

import pytest
import yaml
from agentls.core import yamlnodes
from agentls.core.text import LineIndex, units
from agentls.rules.lint import lint_text


@pytest.mark.parametrize("text", [
    "a: \x07\n",
    "name: \u2028 \x08\n",
    "a: 😀😀 \x07\n",
    "é: x\n\x01\n",
    "a: \udc80 \x02\n",  # a lone surrogate, replaced before libyaml sees it
])
def test_an_unacceptable_character_is_pointed_at_in_code_points(text):
    with pytest.raises(yamlnodes.YamlError) as caught:
        yamlnodes.compose(text)
    assert text[caught.value.offset] < " "  # the control character itself
    try:  # the pure-Python reader counts characters: the same answer
        yaml.compose(yamlnodes._SURROGATES.sub("\ufffd", text), Loader=yaml.SafeLoader)
    except yaml.reader.ReaderError as exc:
        assert exc.position == caught.value.offset


def test_the_fuzz_case_lands_on_its_line():
    text = "---\r\nname: \u2028 \x08\r\n---\r\n"
    _, findings = lint_text(text, "/ws/.claude/agents/a.md")
    index = LineIndex(text)
    # An error: Claude Code's second pass quotes no value without a YAML indicator (and no
    # CRLF line), so it fails on the control character too.
    (yaml_error,) = [f for f in findings if f.code == "AGT010"]
    assert text[yaml_error.span.start] == "\x08"
    for enc in ("utf-8", "utf-16", "utf-32"):
        line, ch = index.to_client(yaml_error.span.end, enc)
        assert ch <= units(index.line_text(line), enc)


@pytest.mark.parametrize("text", [
    '---\nname: \nname:\r\r\n\n\u2028 "quoted" code-reviewer\n---',
    "---\nname: \nname:\r\r\n\n\x0c\n---",
    "---\nname: \nname:\r\r\n\ncode-reviewer\n---",
])
def test_a_key_line_ending_in_lone_carriage_returns_is_read_leniently(text, tmp_path):
    # Found by the long fuzz run: the lenient reader cut the chunk at "name:" (its line
    # without the "\r"s) and then failed to see a key in it, raising instead of reporting.
    _, findings = lint_text(text, "/ws/.claude/agents/a.md")
    assert {"AGT010", "AGT011"} & {f.code for f in findings}  # the YAML problem, reported
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "a.md").write_text(text, encoding="utf-8", newline="")
    from agentls.cli.main import check_paths

    (result,) = check_paths([str(tmp_path)], root=str(tmp_path))
    assert result.error is None and result.findings


@pytest.mark.parametrize("problem, expected", [
    # libyaml 0.2.6 (in PyYAML 6.0.4's wheels) stops deep nesting itself, with this error
    ("exceeded maximum nesting depth", yamlnodes.YamlTooComplex),
    # any other scanner error stays an ordinary YAML error
    ("found unexpected end of stream", yamlnodes.YamlError),
])
def test_the_nesting_finding_does_not_depend_on_the_pyyaml_version(monkeypatch, problem, expected):
    mark = yaml.Mark("<unicode string>", 1003, 0, 1003, None, None)

    def libyaml_0_2_6(*_args, **_kwargs):
        raise yaml.scanner.ScannerError("while increasing flow level", mark, problem, mark)

    monkeypatch.setattr(yaml, "compose", libyaml_0_2_6)
    monkeypatch.setattr(yaml, "parse", libyaml_0_2_6)
    text = "x: " + "[" * 2000 + "]" * 2000
    with pytest.raises(yamlnodes.YamlError) as caught:
        yamlnodes.compose(text, base=4)
    assert type(caught.value) is expected
    assert caught.value.offset == 4 + 1003


def test_deep_flow_nesting_is_too_complex_with_the_installed_pyyaml():
    with pytest.raises(yamlnodes.YamlTooComplex):
        yamlnodes.compose("x: " + "[" * 100_000 + "]" * 100_000)
