"""Examples in docs/ci.md are what agentls really prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CI_MD = Path(__file__).resolve().parents[2] / "docs" / "ci.md"


def _blocks(section: str) -> list[tuple[str, str]]:
    """``(language, text)`` of the fenced blocks in the ``### section`` of docs/ci.md."""
    text = CI_MD.read_text(encoding="utf-8")
    body = text.split(f"### {section}\n", 1)[1]
    body = re.split(r"^#{2,3} ", body, maxsplit=1, flags=re.M)[0]
    return re.findall(r"^```(\w+)\n(.*?)^```$", body, flags=re.M | re.S)


def test_the_configuration_errors_example_is_real_output(project, run):
    (lang1, config), (lang2, console) = _blocks("Errors")
    assert (lang1, lang2) == ("toml", "console")
    (project / "pyproject.toml").write_text(config, encoding="utf-8")
    command, *expected = console.splitlines()
    assert command == "$ agentls check"
    code, out, err = run([], cwd=project)
    assert code == 2
    assert err.splitlines() == expected


@pytest.mark.parametrize(("typo", "suggested"), [
    ("AGT4OO", "AGT400"),  # letter O typed for a zero
    ("agt4o1", "AGT401"),
    ("AGT4O", "AGT40"),    # a prefix (AGT40x)
    ("unknwon-tool", "unknown-tool"),
])
def test_configuration_suggests_the_rule_meant(project, run, typo, suggested):
    (project / "pyproject.toml").write_text(f'[tool.agentls]\nignore = ["{typo}"]\n', encoding="utf-8")
    code, _, err = run([], cwd=project)
    assert code == 2 and f"(did you mean {suggested!r}?)" in err


def test_no_suggestion_when_several_rules_are_as_close(project, run):
    # AGT421 is as close to AGT401 as to AGT411: any one of them would be a guess.
    (project / "pyproject.toml").write_text('[tool.agentls]\nignore = ["AGT421"]\n', encoding="utf-8")
    code, _, err = run([], cwd=project)
    assert code == 2 and "did you mean" not in err and "see `agentls rule --all`" in err


ROOT = CI_MD.parents[1]
INSTALL_DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
                *sorted((ROOT / "editors").glob("*/README.md")), ROOT / ".pre-commit-hooks.yaml"]


def _paragraphs(path: Path) -> list[str]:
    return re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))


def test_install_instructions_do_not_assume_a_release():
    # agentls is not on PyPI and has no tag yet: `pip install agentls` and `rev: v0.1.0` fail.
    # Naming the future command is fine where the same paragraph says it needs publishing.
    bad = []
    for path in INSTALL_DOCS:
        for para in _paragraphs(path):
            if re.search(r"\bpipx? install agentls\b", para) and "published" not in para:
                bad.append(f"{path.name}: {para.strip()[:80]}")
            for rev in re.findall(r"^[#\s]*(?:rev|ref): *(\S+)", para, flags=re.M):
                if not rev.startswith("<"):  # a placeholder such as <commit SHA>
                    bad.append(f"{path.name}: rev {rev} is no tag or commit of this repository")
    assert bad == []


def test_the_documented_install_from_a_clone_names_the_real_package_folder():
    # `pipx install ./agentls` and `pip install ./agentls` install the clone's pyproject.toml.
    said = "\n".join(p.read_text(encoding="utf-8") for p in INSTALL_DOCS)
    assert "pip install ./agentls" in said and "pipx install ./agentls" in said
    assert (ROOT / "pyproject.toml").is_file()


def test_the_include_hint_example_is_real_output(tmp_path, run):
    text = CI_MD.read_text(encoding="utf-8")
    (console,) = [b for lang, b in re.findall(r"^```(\w+)\n(.*?)^```$", text, flags=re.M | re.S)
                  if lang == "console" and "no agent files found" in b]
    command, summary, *hint = console.splitlines()
    (tmp_path / "engineering").mkdir()
    (tmp_path / "engineering" / "backend-architect.md").write_text(
        "---\nname: backend-architect\ndescription: Designs APIs. Use for backend work.\n---\n\nYou design.\n")
    code, out, err = run([], cwd=tmp_path)
    assert command == "$ agentls check" and out.splitlines() == [summary]
    assert err.splitlines() == hint
