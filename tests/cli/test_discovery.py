"""What ``agentls check DIR`` finds: agent locations, less what git ignores, plus ``include``.

Git itself is the reference for ignore rules: every case is compared with
``git ls-files --others --exclude-standard`` on the same tree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_helpers import CLEAN, UNKNOWN_TOOL, write

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="needs git")

AGENTS = [
    ".claude/agents/kept.md",
    ".claude/agents/local-me.md",         # `.claude/agents/local-*.md`: anchored (has a /)
    ".claude/agents/local-keep.md",       # ...re-included by `!.claude/agents/local-keep.md`
    ".claude/agents/drafts/d.md",         # `drafts/`: a folder pattern
    ".claude/agents/team/x.md",           # team/.gitignore: `*.md`
    ".claude/agents/team/shared.md",      # ...`!shared.md` (a deeper file wins)
    ".claude/agents/team/deep/y.md",      # ...`*.md` has no / : any depth below team/
    "plugin/agents/drafts.md",            # a file: `drafts/` matches folders only
    "plugin/agents/scratch.md",           # `scratch.md`: any depth
    "plugin/agents/sub/top.md",           # `/top.md`: only at the top
    "plugin/agents/private/p.md",         # .git/info/exclude: `private/`
    "plugin/agents/private-not.md",
    "plugin/agents/gen/c.md",             # `gen/*` then `!gen/c.md` (the last match wins)
    "plugin/agents/gen/other.md",
]
GITIGNORE = """# comments and blank lines are not patterns

.claude/agents/local-*.md
!.claude/agents/local-keep.md
drafts/
scratch.md
/top.md
plugin/agents/gen/*
!plugin/agents/gen/c.md
"""


def git(cwd, *args) -> str:
    return subprocess.run([GIT, "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout


def checked(run, cwd, *args) -> set[str]:
    _, out, err = run(["--format", "json", "--select", "AGT400", *args], cwd=cwd)
    return {d["path"] for d in json.loads(out)}


def make_repo(root, init=True):
    write(root, {p: UNKNOWN_TOOL.format(name=p.replace("/", "-").removesuffix(".md")) for p in AGENTS})
    write(root, {".gitignore": GITIGNORE, ".claude/agents/team/.gitignore": "*.md\n!shared.md\n"})
    if init:
        git(root, "init", "-q")
        (root / ".git" / "info").mkdir(exist_ok=True)
        (root / ".git" / "info" / "exclude").write_text("private/\n")
    return root


@needs_git
def test_gitignored_files_are_not_checked_as_git_would_not_list_them(project, run):
    make_repo(project)
    listed = set(git(project, "ls-files", "--others", "--exclude-standard").split())
    expected = {p for p in AGENTS if p in listed}
    # The cases above really are mixed: git keeps some and ignores others.
    assert ".claude/agents/local-keep.md" in expected and ".claude/agents/local-me.md" not in expected
    assert checked(run, project) == expected
    # Run from below: the rules of the .gitignore files above still apply.
    assert checked(run, project / ".claude") == {p.removeprefix(".claude/") for p in expected if p.startswith(".claude/")}


@needs_git
def test_a_file_or_folder_named_on_the_command_line_is_checked_even_if_ignored(project, run):
    make_repo(project)
    assert checked(run, project, ".claude/agents/local-me.md") == {".claude/agents/local-me.md"}
    # A named ignored folder is walked; the .gitignore files inside it still apply.
    assert checked(run, project, ".claude/agents/team") == {".claude/agents/team/shared.md"}
    assert checked(run, project, ".claude/agents/drafts") == {".claude/agents/drafts/d.md"}


def test_outside_a_git_repository_gitignore_files_do_not_apply(project, run):
    make_repo(project, init=False)
    assert checked(run, project) == set(AGENTS)


# -- include ----------------------------------------------------------------------------------
ENGINEERING = {
    "engineering/backend/backend-architect.md": UNKNOWN_TOOL.format(name="backend-architect"),
    "engineering/frontend.md": UNKNOWN_TOOL.format(name="frontend"),
    "docs/guide.md": "---\ntitle: Guide\ndescription: Not an agent.\n---\n\nText.\n",
}


def test_include_checks_other_markdown_files_as_agents(tmp_path, run):
    write(tmp_path, {**ENGINEERING, "pyproject.toml": '[tool.agentls]\ninclude = ["engineering/**/*.md"]\n'})
    assert checked(run, tmp_path) == {"engineering/backend/backend-architect.md", "engineering/frontend.md"}
    # Relative to the configuration file, from any folder below it.
    assert checked(run, tmp_path / "engineering") == {"backend/backend-architect.md", "frontend.md"}
    # `exclude` still wins.
    (tmp_path / "pyproject.toml").write_text(
        '[tool.agentls]\ninclude = ["engineering/**/*.md"]\nexclude = ["frontend.md"]\n')
    assert checked(run, tmp_path) == {"engineering/backend/backend-architect.md"}


def test_include_must_be_a_list_of_strings(tmp_path, run):
    write(tmp_path, {**ENGINEERING, "pyproject.toml": '[tool.agentls]\ninclude = "engineering"\n'})
    code, _, err = run([], cwd=tmp_path)
    assert code == 2 and "pyproject.toml:2: `include` must be a list of strings" in err


def test_no_agent_files_but_agent_shaped_markdown_says_how_to_include_them(tmp_path, run):
    write(tmp_path, ENGINEERING)
    code, out, err = run([], cwd=tmp_path)
    assert code == 0 and "0 files checked" in out
    assert ("agentls: no agent files found, but 2 Markdown files have the frontmatter of a Claude Code "
            "agent (`name` and `description`), such as engineering/backend/backend-architect.md.") in err
    assert '    [tool.agentls]\n    include = ["engineering/**/*.md"]\n' in err
    # The configuration it shows works.
    (tmp_path / "pyproject.toml").write_text('[tool.agentls]\ninclude = ["engineering/**/*.md"]\n')
    code, out, err = run([], cwd=tmp_path)
    assert "2 files" in out and "no agent files found" not in err


def test_the_hint_names_the_existing_configuration_file(tmp_path, run):
    write(tmp_path, {**ENGINEERING, "agentls.toml": 'ignore = ["AGT602"]\n'})
    _, _, err = run([], cwd=tmp_path / "engineering")
    assert "add to ../agentls.toml:\n\n    include = [\"engineering/**/*.md\"]\n" in err


def test_no_hint_without_agent_shaped_files_or_when_agents_were_found(project, tmp_path, run):
    write(tmp_path, {"docs/guide.md": ENGINEERING["docs/guide.md"], "README.md": "# x\n"})
    _, _, err = run([], cwd=tmp_path)
    assert "no agent files found" not in err
    write(project, {"engineering/frontend.md": CLEAN.format(name="frontend")})
    _, _, err = run([], cwd=project)  # the project's own agent was found
    assert "no agent files found" not in err


@needs_git
def test_when_git_ignores_every_agent_file_the_run_says_so(tmp_path, run):
    write(tmp_path, {".gitignore": ".claude/\n", ".claude/agents/mine.md": CLEAN.format(name="mine")})
    git(tmp_path, "init", "-q")
    code, out, err = run([], cwd=tmp_path)
    assert code == 0 and "0 files checked" in out
    assert ("agentls: no agent files found, but git ignores 1 agent file here, such as "
            ".claude/agents/mine.md (Claude Code loads them all the same); name a file or folder "
            "to check it anyway: agentls check .claude/agents\n") in err
    code, out, _ = run([".claude/agents"], cwd=tmp_path)
    assert "1 file checked" in out


def test_files_the_configuration_excludes_are_not_said_to_be_ignored_by_git(project, run):
    (project / "pyproject.toml").write_text('[tool.agentls]\nexclude = [".claude"]\n')
    _, out, err = run([], cwd=project)
    assert "0 files checked" in out and "git ignores" not in err


# -- which tool loads each file (issue 14) ------------------------------------------------------
FIVE_TOOLS = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces" / "targets"
TARGET_OF = {
    ".claude/agents/reviewer.md": "claude-code",
    ".gemini/agents/reviewer.md": "gemini",
    ".github/agents/reviewer.agent.md": "copilot",
    ".github/prompts/review.prompt.md": "copilot",
    ".github/instructions/python.instructions.md": "copilot",
    ".cursor/rules/style.mdc": "cursor",
    ".cursor/agents/reviewer.md": "cursor",
    ".opencode/agents/reviewer.md": "opencode",
}


@pytest.fixture
def five_tools(tmp_path):
    """A repository holding Claude Code, Gemini CLI, Copilot, Cursor and OpenCode files, and a
    translated copy of an agent under docs/ (tests/fixtures/workspaces/targets)."""
    shutil.copytree(FIVE_TOOLS, tmp_path / "repo")
    return tmp_path / "repo"


def test_check_reports_each_file_under_the_tool_that_loads_it(five_tools, run):
    code, out, _ = run(["--format", "json"], cwd=five_tools)
    data = json.loads(out)
    assert {d["path"]: d["target"] for d in data} == TARGET_OF
    names = {d["target"]: d["target_name"] for d in data}
    assert names == {"claude-code": "Claude Code", "gemini": "Gemini CLI", "copilot": "GitHub Copilot",
                     "cursor": "Cursor", "opencode": "OpenCode"}
    # Claude Code's rules read only Claude Code's files: the Gemini agent's `read_file` and
    # the Copilot agent's `read` are no unknown Claude Code tools.
    assert {d["code"] for d in data if d["target"] != "claude-code"} == {"AGT901"}
    assert [d["code"] for d in data if d["target"] == "claude-code"] == ["AGT400"]


def test_text_and_sarif_name_the_target(five_tools, run):
    _, out, _ = run([], cwd=five_tools)
    assert ".gemini/agents/reviewer.md:10:32: AGT901 (Gemini CLI) Unknown rule 'AGT4OO'" in out
    assert ".claude/agents/reviewer.md:4:14: AGT400 [*] Unknown tool `Grepp`" in out  # as it always read
    assert ("in 8 of 8 files (1 Claude Code, 1 Gemini CLI, 3 GitHub Copilot, 2 Cursor, 1 OpenCode).") in out
    _, out, _ = run(["--format", "sarif"], cwd=five_tools)
    results = json.loads(out)["runs"][0]["results"]
    got = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["properties"]["target"]
           for r in results}
    assert got == TARGET_OF
    prompt = next(r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  .endswith(".prompt.md"))
    assert prompt["properties"] == {"target": "copilot", "targetName": "GitHub Copilot", "kind": "prompt"}
    _, out, _ = run(["--format", "github"], cwd=five_tools)
    assert "title=AGT901 unknown-rule-in-suppression (OpenCode)::" in out


def test_documentation_and_its_translations_are_not_checked(five_tools, run):
    _, out, _ = run(["--format", "json", "--select", "ALL"], cwd=five_tools)
    assert not [d for d in json.loads(out) if d["path"].startswith("docs/")]
    # ...though a file named on the command line is always checked (as a Claude Code agent).
    _, out, _ = run(["--format", "json", "docs/zh/agents/reviewer.md"], cwd=five_tools)
    assert {d["target"] for d in json.loads(out)} == {"claude-code"}


def test_hidden_tool_folders_are_walked_but_not_other_hidden_folders(tmp_path, run):
    write(tmp_path, {".gemini/agents/a.md": "---\nname: a\ndescription: b\n---\n<!-- agentls-disable AGT4OO -->\n",
                     ".hidden/agents/b.md": UNKNOWN_TOOL.format(name="b")})
    _, out, _ = run(["--format", "json"], cwd=tmp_path)
    assert {d["path"] for d in json.loads(out)} == {".gemini/agents/a.md"}


# -- include with a target (issue 14) ------------------------------------------------------------
GEMINI_AGENT = ("---\nname: {name}\ndescription: Reviews code. Use after changes.\nmax_turns: 5\n---\n"
                "<!-- agentls-disable-next-line AGT4OO -->\n")
INCLUDE_TARGETS = """[tool.agentls]
include = [
    "engineering/**/*.md",
    { path = "ai/gemini/*.md", target = "gemini" },
    { path = ["ai/prompts/*.md"], target = "copilot", kind = "prompt" },
]
"""


def test_include_entries_name_the_tool_that_reads_the_files(tmp_path, run):
    write(tmp_path, {"pyproject.toml": INCLUDE_TARGETS,
                     "engineering/a.md": UNKNOWN_TOOL.format(name="a"),
                     "ai/gemini/b.md": GEMINI_AGENT.format(name="b"),
                     "ai/prompts/c.md": "---\ndescription: Review.\n---\n<!-- agentls-disable AGT4OO -->\n"})
    _, out, _ = run(["--format", "sarif"], cwd=tmp_path)
    results = json.loads(out)["runs"][0]["results"]
    got = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: (r["ruleId"], r["properties"])
           for r in results}
    assert got == {
        "engineering/a.md": ("AGT400", {"target": "claude-code", "targetName": "Claude Code", "kind": "agent"}),
        "ai/gemini/b.md": ("AGT901", {"target": "gemini", "targetName": "Gemini CLI", "kind": "agent"}),
        "ai/prompts/c.md": ("AGT901", {"target": "copilot", "targetName": "GitHub Copilot", "kind": "prompt"}),
    }


def test_duplicate_names_clash_only_within_one_include_entry(tmp_path, run):
    write(tmp_path, {"pyproject.toml": '[tool.agentls]\ninclude = ["team/*.md", "other/*.md"]\n',
                     "team/a.md": CLEAN.format(name="same"), "team/b.md": CLEAN.format(name="same"),
                     "other/c.md": CLEAN.format(name="same"), ".claude/agents/d.md": CLEAN.format(name="same")})
    _, out, _ = run(["--format", "json"], cwd=tmp_path)
    assert sorted(d["path"] for d in json.loads(out) if d["code"] == "AGT700") == ["team/a.md", "team/b.md"]


@pytest.mark.parametrize("include, message", [
    ('[{ path = "a/*.md", target = "gemni" }]', "unknown target \"gemni\""),
    ('[{ path = "a/*.md", target = "cursor", kind = "prompt" }]', "Cursor has no kind \"prompt\""),
    ('[{ target = "gemini" }]', "an entry's `path` must be a glob or a list of globs"),
    ('[{ path = "a/*.md", tool = "gemini" }]', "unknown key `tool`"),
    ('[3]', "entries must be strings (globs) or tables"),
])
def test_a_bad_include_entry_is_a_configuration_error(tmp_path, run, include, message):
    write(tmp_path, {"pyproject.toml": f"[tool.agentls]\ninclude = {include}\n", "a/x.md": CLEAN.format(name="x")})
    code, _, err = run([], cwd=tmp_path)
    assert code == 2 and message in err, err


def test_the_hint_suggests_the_tool_the_frontmatter_is_written_for(tmp_path, run):
    write(tmp_path, {"ai/reviewer.md": GEMINI_AGENT.format(name="reviewer"),
                     "ai/helper.md": GEMINI_AGENT.format(name="helper")})
    code, out, err = run([], cwd=tmp_path)
    assert code == 0 and "0 files checked" in out
    assert ("agentls: no agent files found, but 2 Markdown files have the frontmatter of a Gemini CLI "
            "agent (`name` and `description`), such as ai/helper.md.\n"
            "Gemini CLI loads agents only from .gemini/agents/; to check such files as agents anyway, "
            "add to pyproject.toml:\n\n"
            '    [tool.agentls]\n    include = [{ path = "ai/**/*.md", target = "gemini" }]\n') == err
    # The configuration it shows works, and reads them as Gemini CLI agents.
    (tmp_path / "pyproject.toml").write_text('[tool.agentls]\ninclude = [{ path = "ai/**/*.md", target = "gemini" }]\n')
    code, out, err = run(["--format", "json"], cwd=tmp_path)
    assert {d["target"] for d in json.loads(out)} == {"gemini"} and err == ""


# -- the walk's shortcuts (issue 17) -------------------------------------------------------------
# Discovery works a file's location out from its folder's parent's facts and from what
# the walk listed (a folder without a `.claude-plugin` entry holds no manifest); the file
# read alone (the language server's `locate`) must come out the same.
PLUGIN_TREE = {
    "market/.claude-plugin/marketplace.json": json.dumps({"plugins": [
        {"name": "listed", "source": "./plugins/listed", "agents": "./team"},
        {"name": "remote", "source": {"source": "github", "repo": "o/r"}}]}),
    "market/plugins/listed/team/a.md": "",
    "market/plugins/listed/agents/not-declared.md": "",
    "market/plugins/own/.claude-plugin/plugin.json": json.dumps({"name": "own", "commands": ["./cmd/x.md"]}),
    "market/plugins/own/cmd/x.md": "",
    "market/plugins/own/cmd/y.md": "",
    "market/plugins/own/agents/by-default.md": "",  # only `commands` is declared
    "market/plugins/own/skills/s/SKILL.md": "",
    "market/plugins/own/nested/.claude-plugin/plugin.json": "{broken",
    "market/plugins/own/nested/agents/inner.md": "",
    "market/plugins/own/.claude/agents/project.md": "",
    "market/plugins/own/.github/agents/mixed.md": "",
    "library/agents/lib.md": "",
    "library/agents/README.md": "",
    "library/skills/tidy/SKILL.md": "",
    "library/skills/tidy/agents/resource.md": "",
    "library/docs/agents/doc.md": "",
    "library/commands/sub/agents/deep.md": "",
    "home/.claude/agents/h.md": "",
    "home/.config/opencode/agents/o.md": "",
    "home/.cursor/rules/r.mdc": "",
    "home/x.agent.md": "",
    "home/.gemini/agents/sub/no.md": "",
}


def test_the_walk_locates_each_file_as_locate_reads_it_alone(tmp_path):
    from agentls.engine.discovery import discover
    from agentls.facts.targets import forget, locate

    write(tmp_path, PLUGIN_TREE)
    forget()  # a fresh run's view of the manifests
    for top in (tmp_path, tmp_path / "market", tmp_path / "market/plugins/own/cmd", tmp_path / "library/agents"):
        walked = {str(p): k.same for p, k in discover([top])}
        alone = {}
        for p in top.rglob("*.md*"):
            found = locate(str(p.resolve()))
            if found is not None:
                alone[str(p)] = found.same
        assert walked == alone, top
    located = {str(p.relative_to(tmp_path)): (k.kind, k.scope, k.plugin) for p, k in discover([tmp_path])}
    assert located == {
        "market/plugins/listed/team/a.md": ("agent", "plugin", "listed"),
        "market/plugins/own/cmd/x.md": ("command", "plugin", "own"),
        "market/plugins/own/agents/by-default.md": ("agent", "plugin", "own"),
        "market/plugins/own/skills/s/SKILL.md": ("skill", "plugin", "own"),
        "market/plugins/own/nested/agents/inner.md": ("agent", "plugin", "nested"),
        "market/plugins/own/.claude/agents/project.md": ("agent", "project", ""),
        "market/plugins/own/.github/agents/mixed.md": ("agent", "project", ""),
        "library/agents/lib.md": ("agent", "library", ""),
        "library/skills/tidy/SKILL.md": ("skill", "library", ""),
        "library/commands/sub/agents/deep.md": ("agent", "library", ""),
        "home/.claude/agents/h.md": ("agent", "project", ""),
        "home/.config/opencode/agents/o.md": ("agent", "user", ""),
        "home/.cursor/rules/r.mdc": ("rule", "project", ""),
        "home/x.agent.md": ("agent", "project", ""),
    }


def test_a_manifest_above_the_walked_folder_still_makes_its_files_the_plugins(tmp_path):
    from agentls.engine.discovery import discover
    from agentls.facts.targets import forget

    write(tmp_path, {"p/.claude-plugin/plugin.json": '{"name": "p"}', "p/agents/deep/a.md": ""})
    forget()
    [(_, kind)] = discover([tmp_path / "p/agents/deep"])
    assert (kind.scope, kind.plugin, kind.tree) == ("plugin", "p", f"{tmp_path}/p#agents#deep")


def test_a_plugin_manifest_written_between_two_walks_is_seen_by_the_second(tmp_path):
    from agentls.engine.discovery import discover
    from agentls.facts.targets import forget

    write(tmp_path, {"p/agents/a.md": ""})
    forget()
    [(_, kind)] = discover([tmp_path])
    assert kind.scope == "library"
    write(tmp_path, {"p/.claude-plugin/plugin.json": '{"name": "p"}'})
    [(_, kind)] = discover([tmp_path])
    assert (kind.scope, kind.plugin) == ("plugin", "p")


# -- the walk kept between runs (issue 17) ------------------------------------------------------
# A cached run replays the last walk when every folder it listed, and every file its answer
# depends on, has the status it had; anything else walks again. Each case compares the
# replay (or the walk it falls back to) with a walk that keeps nothing.
class DictMemo:
    def __init__(self):
        self.data: dict[str, bytes] = {}

    def load(self, name):
        return self.data.get(name)

    def save(self, name, data):
        self.data[name] = data


@pytest.fixture
def memo(monkeypatch):
    """A memo held in memory, every walk's status taken as settled, and ``memo.walks``:
    how many folders were walked (0: the run was replayed)."""
    from agentls.engine import discovery

    monkeypatch.setattr(discovery._Record, "SETTLED_NS", -10**12)
    store = DictMemo()
    store.walks = 0
    real = discovery._walk

    def counting(*args, **kwargs):
        store.walks += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(discovery, "_walk", counting)
    return store


def later():
    """Past the file system's clock tick: a change from now on has a later time than the
    statuses recorded so far (what settling guarantees for real runs)."""
    import time

    time.sleep(0.05)


MEMO_TREE = {
    ".claude/agents/a.md": "", ".claude/agents/sub/b.md": "", ".claude/skills/s/SKILL.md": "",
    "lib/agents/c.md": "", "lib/docs/agents/not.md": "", "notes/readme-like.md": "",
    "plug/.claude-plugin/plugin.json": '{"name": "plug"}', "plug/agents/p.md": "",
    "plug/commands/q.md": "", "pyproject.toml": "", ".gitignore": "ignored/\n",
    "ignored/agents/i.md": "", "deep/x/y/agents/d.md": "",
}


def discovered(root, memo=None, included=None):
    from agentls.engine.discovery import discover
    from agentls.facts.targets import forget

    forget()
    no_config: set[str] = set()
    found = discover(["."], no_config=no_config, gitignore=True, included=included, memo=memo)
    return [(str(p), k.same) for p, k in found], sorted(no_config)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    root = tmp_path / "tree"
    write(root, MEMO_TREE)
    if GIT is not None:
        git(root, "init", "-q")
    monkeypatch.chdir(root)
    return root


def test_an_unchanged_tree_is_replayed_as_walked(tree, memo):
    first = discovered(tree, memo)
    assert memo.walks == 1 and memo.data
    again = discovered(tree, memo)
    assert memo.walks == 1  # the second run listed no folder
    assert again == first == discovered(tree)
    assert ".claude/agents/a.md" in dict(first[0]) and "plug/agents/p.md" in dict(first[0])


CHANGES = {
    "a new file": lambda root: write(root, {"deep/x/y/agents/new.md": ""}),
    "a removed file": lambda root: (root / "deep/x/y/agents/d.md").unlink(),
    "a renamed file": lambda root: (root / "lib/agents/c.md").rename(root / "lib/agents/c2.md"),
    "a renamed folder": lambda root: (root / "deep/x").rename(root / "deep/z"),
    "a folder moved under a tool folder": lambda root: (root / "notes").rename(root / ".claude/agents/notes"),
    "a new folder": lambda root: write(root, {"deep/x/y/agents/more/e.md": ""}),
    "a file replaced by a folder": lambda root: ((root / "lib/agents/c.md").unlink(),
                                                 write(root, {"lib/agents/c.md/agents/f.md": ""})),
    "a new .gitignore": lambda root: write(root, {"lib/.gitignore": "agents/\n"}),
    "an edited .gitignore": lambda root: write(root, {".gitignore": "ignored/\nplug/\n"}),
    "git's exclude file": lambda root: write(root, {".git/info/exclude": "deep/\n"}),
    "a manifest written": lambda root: write(root, {"lib/.claude-plugin/plugin.json": '{"name": "lib"}'}),
    "a manifest in an existing manifest folder": lambda root: (
        (root / "lib/.claude-plugin").mkdir(), later(),
        write(root, {"lib/.claude-plugin/plugin.json": '{"name": "lib"}'})),
    "an edited manifest": lambda root: write(root, {"plug/.claude-plugin/plugin.json":
                                                    '{"name": "plug", "agents": "./commands"}'}),
    "a removed manifest": lambda root: (root / "plug/.claude-plugin/plugin.json").unlink(),
    "a marketplace above": lambda root: write(root.parent, {".claude-plugin/marketplace.json": json.dumps(
        {"plugins": [{"name": "m", "source": "./tree/notes", "agents": ["./readme-like.md"]}]})}),
    "a manifest above": lambda root: write(root.parent, {".claude-plugin/plugin.json": '{"name": "up"}'}),
    "a configuration file written": lambda root: write(root, {"lib/agents/agentls.toml": ""}),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_to_what_the_walk_saw_walks_again(tree, memo, change):
    if GIT is None and ("gitignore" in change or "exclude" in change):
        pytest.skip("needs git")
    first = discovered(tree, memo)
    later()
    CHANGES[change](tree)
    again = discovered(tree, memo)
    assert memo.walks == 2
    third = discovered(tree, memo)  # the new walk was kept: replayed
    assert memo.walks == 2
    assert again == third == discovered(tree)
    # Each change changes the answer: a replay of the old walk would have been wrong.
    if change == "a configuration file written":  # the folders the configuration lookup skips
        assert again[1] != first[1]
    else:
        assert again[0] != first[0]


def test_the_configurations_include_is_asked_again_at_each_replay(tree, memo):
    answers = {"on": False}

    def included(path):
        return "gemini" if answers["on"] and path.endswith("readme-like.md") else None

    before = discovered(tree, memo, included)
    answers["on"] = True
    after = discovered(tree, memo, included)
    assert memo.walks == 1
    assert after == discovered(tree, None, included) != before
    assert dict(after[0])["notes/readme-like.md"][1] == "gemini"


def test_a_walk_with_a_folder_changed_just_now_is_not_kept(tree, monkeypatch):
    from agentls.engine import discovery

    monkeypatch.setattr(discovery._Record, "SETTLED_NS", 10**12)  # everything is recent
    store = DictMemo()
    discovered(tree, store)
    assert store.data == {}


def test_a_walk_through_a_linked_markdown_file_is_not_kept(tree, memo):
    (tree / "lib/agents/link.md").symlink_to(tree / "lib/agents/c.md")
    first = discovered(tree, memo)
    assert memo.data == {} and "lib/agents/link.md" in dict(first[0])


@pytest.mark.parametrize("damage", [b"", b"garbage", "truncated", "another walk"])
def test_a_damaged_record_walks_again(tree, memo, damage):
    first = discovered(tree, memo)
    [(name, data)] = memo.data.items()
    if damage == "truncated":
        memo.data[name] = data[: len(data) // 2]
    elif damage == "another walk":
        import marshal

        memo.data[name] = marshal.dumps(("another key", *marshal.loads(data)[1:]))
    else:
        memo.data[name] = damage
    assert discovered(tree, memo) == first
    assert memo.walks == 2
    assert discovered(tree, memo) == first  # written again: replayed
    assert memo.walks == 2


def test_a_cached_check_replays_the_walk_and_reports_new_files(tree, memo, run, monkeypatch, tmp_path):
    """Through ``agentls check``: the walk is kept in the content cache's folder."""
    monkeypatch.setenv("AGENTLS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AGENTLS_NO_CACHE", raising=False)
    write(tree, {".claude/agents/a.md": UNKNOWN_TOOL.format(name="a")})
    first = checked(run, tree)
    assert list((tmp_path / "cache").glob("check-*/discovery-*.marshal"))
    walks = memo.walks
    assert checked(run, tree) == first and memo.walks == walks
    later()
    write(tree, {"lib/agents/new.md": UNKNOWN_TOOL.format(name="new")})
    assert checked(run, tree) == first | {"lib/agents/new.md"} == checked(run, tree, "--no-cache")
