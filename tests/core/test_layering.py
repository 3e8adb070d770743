"""The package's modules import only downwards: no import cycle, no import of a higher layer.

Layers, lowest first (issue 13), one folder each under ``agentls/``: core (text, YAML
nodes, the document, paths), facts (what the tools accept), rules (the registry, the check
runner, the families), engine (discovery, configuration, settings, the project, fixes),
services (completion, hover, docs, the JSON Schema), and the two adapters at the top, lsp
and cli (whose ``serve`` starts the server). A module may import its own layer or a lower
one. Imports are read with ``ast`` from the source, relative and absolute,
at module level and inside functions alike, and a string that names one of the package's
modules counts as an import of it (``importlib.import_module`` reads such names: the LSP
feature list); only imports under ``if TYPE_CHECKING:`` are left out (they never run, so
they cannot make a cycle at run time). A module outside the layer folders fails the test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import agentls
import pytest

PACKAGE = Path(agentls.__file__).parent

# The command line is the entry point: ``agentls serve`` starts the server, which never
# imports the command line.
ORDER = ["core", "facts", "rules", "engine", "services", "lsp", "cli"]

# The layer of a module is the folder it sits in (``agentls/rules/tools.py`` is in rules);
# the two modules at the top of the package are placed here.
TOP_LEVEL = {"agentls": "core", "agentls.__main__": "cli"}


def layer_of(name: str) -> str | None:
    if name in TOP_LEVEL:
        return TOP_LEVEL[name]
    folder = name.split(".")[1]
    return folder if folder in ORDER else None


def module_name(path: Path) -> str:
    parts = ["agentls", *path.relative_to(PACKAGE).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _nodes(tree: ast.AST):
    """Every node, except the bodies of ``if TYPE_CHECKING:`` (their ``else`` is kept)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports (``from . import x`` names module ``x``
    when there is one, else the package it comes from)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # for importlib; the bare package name is a word in paths and messages
            targets = [node.value] if node.value in known and node.value != "agentls" else []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in known else source for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # import agentls.lsp.server.x -> agentls.lsp.server
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_import_reader_sees_relative_absolute_nested_and_named_and_skips_type_checking(tmp_path):
    pkg = tmp_path / "agentls"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "sub" / "mod.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from .. import core\n"
        "from ..core.text import Span\n"
        "import agentls.rules.lint\n"
        "if TYPE_CHECKING:\n    from ..cli import x\n"
        "def f():\n    from .other import y\n"
        "FEATURES = ['agentls.sub.feature', 'agentls.nothing']\n", encoding="utf-8")
    known = {"agentls", "agentls.core", "agentls.core.text", "agentls.rules.lint", "agentls.cli",
             "agentls.sub", "agentls.sub.other", "agentls.sub.mod", "agentls.sub.feature"}
    assert imports_of("agentls.sub.mod", pkg / "sub" / "mod.py", known) == {
        "agentls.core", "agentls.core.text", "agentls.rules.lint", "agentls.sub.other", "agentls.sub.other", "agentls.sub.feature"}


def test_the_cycle_finder_reports_a_cycle_and_accepts_a_tree():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_every_module_is_in_a_layer_folder():
    outside = sorted(name for name in modules() if layer_of(name) is None)
    assert not outside, f"put each module in one of the layer folders {ORDER}: {outside}"
    assert set(ORDER) <= {name.split(".")[1] for name in modules() if "." in name}


def test_no_import_cycle():
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_no_module_imports_a_higher_layer():
    rank = {layer: i for i, layer in enumerate(ORDER)}
    upward = sorted(
        f"{name} ({layer_of(name)}) imports {target} ({layer_of(target)})"
        for name, targets in graph().items() if layer_of(name)
        for target in targets if layer_of(target) and rank[layer_of(target)] > rank[layer_of(name)])
    assert not upward, "imports of a higher layer:\n" + "\n".join(upward)


def _keys(doc) -> list[str]:
    return [e.key for e in doc.frontmatter.entries]


BROKEN = "---\nname: a\ndescription: Use it: when\nExamples here\n{line}\ntools: Read\n---\nBody\n"


def test_the_lenient_reader_takes_its_field_names_from_the_caller():
    """The core knows no fields: an unindented description runs on over ``user: hi`` up to
    the next key the caller names; a caller that names ``user`` gets it as a key."""
    from agentls.core.document import Document

    text = BROKEN.format(line="user: hi")
    fields = frozenset({"name", "description", "tools"})
    assert _keys(Document(text, None, "agent", known_keys=fields)) == ["name", "description", "tools"]
    assert _keys(Document(text, None, "agent", known_keys=fields | {"user"})) == [
        "name", "description", "user", "tools"]


def _every_field() -> list[str]:
    from agentls.facts.fields import FIELDS_BY_KIND, FOREIGN_AGENT_KEYS

    return sorted({k for fields in FIELDS_BY_KIND.values() for k in fields} | set(FOREIGN_AGENT_KEYS))


@pytest.mark.parametrize("key", _every_field())
def test_the_checks_read_every_field_of_the_schema_as_a_key(key):
    """What the layers above parse (``rules.lint.parse``) knows the schema's fields: each
    one ends a broken unindented value, which words that are no field do not."""
    from agentls.rules.lint import parse

    assert key in _keys(parse(BROKEN.format(line=f"{key}: x"), None, "agent"))
    assert "user" not in _keys(parse(BROKEN.format(line="user: hi"), None, "agent"))
