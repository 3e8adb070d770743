"""Emacs (Debian's emacs-nox + elpa-eglot) in --batch as a real LSP client, with the
shipped ``editors/emacs/agentls.el``.

Eglot 1.9 announces no position encoding, so the server must fall back to UTF-16; the
driver reports columns in Emacs characters (code points), so an astral-plane emoji
inserted before a finding (2 UTF-16 units, 1 character) checks the conversion.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from agentls.facts.targets import classify
from editor_helpers import (
    REPO,
    agentls_on_path_env,
    classify_cases,
    cli_findings,
    make_project,
    make_sandbox,
    scripts_dir,
)

DRIVER = Path(__file__).with_name("emacs_client.el")
EDIT = "é🙂 "
MOJIBAKE = "ðŸ“‹"


def eglot_available(emacs: str) -> bool:
    probe = ("(progn (require 'package) (setq package-directory-list '(\"/usr/share/emacs/site-lisp/elpa\"))"
             " (package-initialize) (require 'eglot))")
    return subprocess.run([emacs, "--batch", "-Q", "--eval", probe], capture_output=True, timeout=60).returncode == 0


@pytest.fixture(scope="module")
def emacs() -> str:
    found = shutil.which("emacs")
    why = None
    if not found:
        why = "no emacs (apt-get install emacs-nox elpa-eglot)"
    elif not eglot_available(found):
        why = "emacs has no eglot (apt-get install elpa-eglot)"
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"{why}; .ci/run installs it")
        pytest.skip(why)
    return found


def test_emacs_eglot_diagnostics_hover_completion_utf16(emacs, tmp_path):
    tmp = make_sandbox(tmp_path)
    home = tmp / "home"
    files = make_project(tmp)
    env = agentls_on_path_env(home)
    paths = classify_cases(files["proj"], files["plugin"], home)
    lines = files["agent"].read_text(encoding="utf-8").split("\n")
    expected = {(f["code"], f["line"] - 1, f["column"] - 1, f["end_line"] - 1, f["end_column"] - 1)
                for f in cli_findings(files["proj"], env) if f["path"] == ".claude/agents/x.md"}
    model_line = next(i for i, line in enumerate(lines) if line.startswith("model:"))

    out = tmp / "emacs-report.json"
    spec = tmp / "emacs-spec.json"
    spec.write_text(json.dumps({
        "load_path": str(REPO / "editors" / "emacs"),
        "out": str(out),
        "agent_file": str(files["agent"]),
        "other_file": str(files["other"]),
        "classify_paths": [str(p) for p in paths],
        "expect_diagnostics": len(expected),
        "hover": [model_line, 1],
        "completion": [model_line, len("model: ")],
        "edit": {"line": 76, "text": EDIT, "code": "AGT502"},
    }))
    t0 = time.monotonic()
    proc = subprocess.run([emacs, "--batch", "-Q", "-l", str(DRIVER)], env={**env, "AGENTLS_TEST_SPEC": str(spec)},
                          cwd=tmp, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - t0
    assert proc.returncode == 0 and out.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["ok"] is True, report.get("error")

    # the shipped predicate agrees with the server on which files are agent files
    kinds = {k["path"]: k["kind"] for k in report["kinds"]}
    for path in paths:
        assert kinds[str(path)] == classify(path)[0], path
    assert report["other_is_agent"] is False

    assert report["server_command"] == ["agentls", "serve"]
    assert report["server_info"] == "agentls"
    assert report["major_mode"] == "markdown-mode"

    def shown(diags):
        out = set()
        for d in diags:
            code = d["text"].split("[", 1)[1].split("]", 1)[0]
            out.add((code, d["line"], d["col"], d["end_line"], d["end_col"]))
        return out

    assert shown(report["diagnostics"]) == expected
    # eglot's type follows the severity: error, warning, and note for info and hint
    severity = {f["code"]: f["severity"] for f in cli_findings(files["proj"], env) if f["path"] == ".claude/agents/x.md"}
    eglot_type = {"error": "eglot-error", "warning": "eglot-warning", "info": "eglot-note", "hint": "eglot-note"}
    assert all(d["text"].startswith("agentls [AGT") for d in report["diagnostics"])
    assert {d["type"] for d in report["diagnostics"]} == {eglot_type[severity[code]] for code, *_ in expected}
    for d in report["diagnostics"]:
        assert d["type"] == eglot_type[severity[d["text"].split("[", 1)[1].split("]", 1)[0]]], d
    moji = next(d for d in report["diagnostics"] if "[AGT502]" in d["text"])
    assert lines[76][moji["col"]:moji["end_col"]] == MOJIBAKE

    hover = report["hover"]["contents"]
    assert "**`model`**" in (hover["value"] if isinstance(hover, dict) else json.dumps(hover))
    labels = {i["label"] for i in report["completion"]["items"]}
    assert {"sonnet", "opus", "haiku", "inherit"} <= labels

    # after inserting "é🙂 " (3 characters, 4 UTF-16 units) the finding moves 3 characters
    moved = next(d for d in report["after_edit"] if "[AGT502]" in d["text"])
    assert (moved["col"], moved["end_col"]) == (moji["col"] + len(EDIT), moji["end_col"] + len(EDIT))
    assert elapsed < 60


def test_emacs_says_once_how_to_install_when_agentls_is_missing(emacs, tmp_path):
    """`agentls-eglot-ensure` on markdown-mode-hook, as documented, with no `agentls` on
    exec-path: one warning for the session that says how to install it, not eglot's
    error from post-command-hook printed with its byte-code, and no eglot. Once
    agentls is on exec-path, the next agent file connects."""
    tmp = make_sandbox(tmp_path)
    files = make_project(tmp)
    env = agentls_on_path_env(tmp / "home")
    env["PATH"] = os.pathsep.join(d for d in env["PATH"].split(os.pathsep)
                                  if d and not (Path(d) / "agentls").exists())
    assert shutil.which("agentls", path=env["PATH"]) is None
    later = files["agent"].with_name("z.md")
    later.write_text(files["agent"].read_text(encoding="utf-8"), encoding="utf-8")

    out = tmp / "emacs-report.json"
    spec = tmp / "emacs-spec.json"
    spec.write_text(json.dumps({
        "load_path": str(REPO / "editors" / "emacs"),
        "out": str(out),
        "missing": {
            "files": [str(files["agent"]), str(files["agent"].with_name("y.md"))],
            "later_file": str(later),
            "later_exec_path": str(scripts_dir()),
        },
    }))
    proc = subprocess.run([emacs, "--batch", "-Q", "-l", str(DRIVER)], env={**env, "AGENTLS_TEST_SPEC": str(spec)},
                          cwd=tmp, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and out.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["ok"] is True, report.get("error")

    said = report["missing_messages"]
    assert "Error in post-command-hook" not in said and "#[" not in said, said
    warnings = [line for line in said.splitlines() if line.startswith("Warning (agentls):")]
    assert len(warnings) == 1, said  # two agent files opened, one warning
    warning = warnings[0].translate(str.maketrans("‘’", "`'"))  # format-message may curve quotes
    assert "`agentls' was not found on `exec-path'" in warning
    assert "`pipx install ./agentls'" in warning and "`agentls-command'" in warning
    assert report["missing_connected"] == [False, False]

    assert report["later_connected"] is True, report["messages"]
    assert report["server_command"] == ["agentls", "serve"]
    assert "Warning (agentls)" not in report["messages"].split(warnings[0], 1)[1]
