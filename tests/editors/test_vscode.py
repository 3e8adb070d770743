"""The VS Code extension (editors/vscode) in a real VS Code.

Strict ``tsc`` and ``vsce package`` build the .vsix; code-server 4.100.3 (VS Code
1.100.3) installs it; headless Debian Chromium, driven by playwright-core, opens a
workspace with seeds under ``.claude/agents/`` and reads what a person would see: the
Problems panel, a hover, the suggest widget, and the not-found message. Screenshots
go to ``test-artifacts/``.

Slow (about a minute, plus a one-time install): runs in CI or with ``--run-slow``.
Tooling: ``tests/editors/vscode/install-code-server.sh`` (npm), Debian ``chromium``
and ``ripgrep``; ``.ci/run`` installs them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from editor_helpers import ARTIFACTS, REPO, agentls_on_path_env, cli_findings, make_sandbox, seed

pytestmark = pytest.mark.slow

EXT_DIR = REPO / "editors" / "vscode"
E2E_DIR = Path(__file__).with_name("vscode")
CODE_SERVER = E2E_DIR / "node_modules" / ".bin" / "code-server"
BASE_SETTINGS = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "extensions.ignoreRecommendations": True,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "workbench.enableExperiments": False,
    "security.workspace.trust.enabled": False,
    "chat.disableAIFeatures": True,
    "git.enabled": False,
    "workbench.editor.enablePreview": False,
}


def need(ok: object, why: str) -> None:
    """A missing prerequisite skips locally but fails in CI, where .ci/run installs it."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI must install it: see .ci/run)")
    pytest.skip(why)


def chromium() -> str | None:
    for c in (os.environ.get("AGENTLS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if c and Path(c).is_file():
            return c
    return None


def node_major() -> int | None:
    node = shutil.which("node")
    if not node:
        return None
    out = subprocess.run([node, "-p", "process.versions.node"], capture_output=True, text=True).stdout
    return int(out.split(".")[0]) if out.strip() else None


@pytest.fixture(scope="module")
def vsix(tmp_path_factory) -> Path:
    need(shutil.which("npm") and (node_major() or 0) >= 20, "node >= 20 and npm are needed to build the extension")
    out = tmp_path_factory.mktemp("vsix") / "agentls.vsix"
    t0 = time.monotonic()
    proc = subprocess.run(["bash", str(EXT_DIR / "scripts" / "package.sh"), str(out)], cwd=EXT_DIR,
                          capture_output=True, text=True, timeout=900)
    print(f"package.sh: {time.monotonic() - t0:.1f} s")
    assert proc.returncode == 0, f"package.sh failed\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    assert out.is_file()
    return out


@pytest.fixture(scope="module")
def code_server() -> Path:
    need(chromium(), "Debian's chromium is not installed (apt-get install chromium)")
    need(shutil.which("rg"), "ripgrep is not installed (apt-get install ripgrep)")
    need(node_major() == 20, "code-server 4.100.3 needs node 20")
    t0 = time.monotonic()
    proc = subprocess.run(["bash", str(E2E_DIR / "install-code-server.sh")], capture_output=True, text=True,
                          timeout=1200)
    print(f"install-code-server.sh: {time.monotonic() - t0:.1f} s")
    assert proc.returncode == 0, f"install-code-server.sh failed\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    assert CODE_SERVER.exists()
    return CODE_SERVER


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CodeServer:
    """code-server on 127.0.0.1 in its own session (setsid), stopped by process group."""

    def __init__(self, binary: Path, data: Path, env: dict[str, str]) -> None:
        self.binary, self.data, self.env = binary, data, {**env, "EXTENSIONS_GALLERY": "{}"}
        self.user = data / "user"
        self.ext = data / "ext"
        (self.user / "User").mkdir(parents=True, exist_ok=True)
        self.ext.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen | None = None
        self.port = free_port()
        self.log = data / "code-server.log"

    @property
    def settings_file(self) -> Path:
        return self.user / "User" / "settings.json"

    def base_args(self) -> list[str]:
        return [str(self.binary), "--user-data-dir", str(self.user), "--extensions-dir", str(self.ext)]

    def install(self, vsix: Path) -> str:
        proc = subprocess.run([*self.base_args(), "--install-extension", str(vsix)], env=self.env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "successfully installed" in proc.stdout, proc.stdout + proc.stderr
        listed = subprocess.run([*self.base_args(), "--list-extensions", "--show-versions"], env=self.env,
                                capture_output=True, text=True, timeout=120).stdout
        return listed

    def start(self, workspace: Path) -> str:
        config = self.data / "config.yaml"
        config.write_text(f"bind-addr: 127.0.0.1:{self.port}\nauth: none\ncert: false\n")
        cmd = [*self.base_args(), "--config", str(config), "--bind-addr", f"127.0.0.1:{self.port}", "--auth", "none",
               "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
               "--disable-getting-started-override", "--ignore-last-opened", str(workspace)]
        log = open(self.log, "w")
        self.proc = subprocess.Popen(cmd, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"code-server exited\n{self.log.read_text()[-3000:]}"
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return f"http://127.0.0.1:{self.port}/?folder={workspace}"
            time.sleep(0.2)
        raise AssertionError(f"code-server did not come up\n{self.log.read_text()[-3000:]}")

    def stop(self) -> bool:
        """Stop the whole process group (code-server, extension hosts, agentls); True if nothing is left."""
        if self.proc is None:
            return True
        pgid = self.proc.pid
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, sig)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                self.proc.poll()
                try:
                    os.killpg(pgid, 0)
                except ProcessLookupError:
                    return sig == signal.SIGTERM
                time.sleep(0.1)
        return False


def drive(spec: dict, tmp: Path, env: dict[str, str]) -> dict:
    spec_path = tmp / f"drive-{time.monotonic_ns()}.json"
    out = tmp / f"drive-report-{time.monotonic_ns()}.json"
    spec = {"out": str(out), "tmp": str(tmp), "chromium": chromium(), "artifacts": str(ARTIFACTS), **spec}
    spec_path.write_text(json.dumps(spec))
    proc = subprocess.run(["node", str(E2E_DIR / "drive.js"), str(spec_path)], cwd=E2E_DIR, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and out.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads(out.read_text())
    print(json.dumps({k: report.get(k) for k in ("steps", "elapsed_ms", "errors")}, indent=1))
    return report


def user_env(tmp: Path) -> dict[str, str]:
    """A user with `agentls` on PATH. VS Code's server replaces its environment with the
    user's login shell's (``$SHELL -ilc env``), so PATH must come from a profile, as it
    would for a real pip/pipx/pyenv user."""
    home = tmp / "home"
    env = agentls_on_path_env(home)
    first = env["PATH"].split(os.pathsep)[0]
    (home / ".profile").write_text(f'export PATH="{first}:$PATH"\n')
    return env


def make_workspace(root: Path) -> Path:
    ws = root / "ws"
    (ws / ".claude" / "agents").mkdir(parents=True)
    shutil.copy(seed("003"), ws / ".claude" / "agents" / "x.md")
    shutil.copy(seed("004"), ws / ".claude" / "agents" / "y.md")
    (ws / "notes").mkdir()
    shutil.copy(seed("003"), ws / "notes" / "draft.md")
    (ws / ".vscode").mkdir()
    return ws


def test_vscode_extension_packages(vsix):
    """Strict tsc (in package.sh) and vsce produced a .vsix with the compiled client and its runtime deps."""
    tsconfig = json.loads((EXT_DIR / "tsconfig.json").read_text())
    assert tsconfig["compilerOptions"]["strict"] is True
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
    assert {"extension/out/extension.js", "extension/out/serverCommand.js",
            "extension/node_modules/vscode-languageclient/package.json", "extension/readme.md"} <= names
    assert not any(n.startswith("extension/src/") or n.endswith(".ts") for n in names)
    assert manifest["main"] == "./out/extension.js"
    assert "agentls.restart" in {c["command"] for c in manifest["contributes"]["commands"]}
    props = manifest["contributes"]["configuration"]["properties"]
    for key in ("agentls.path", "agentls.interpreter", "agentls.rules", "agentls.extendTools",
                "agentls.extendModels", "agentls.extendColors", "agentls.extendKeys",
                "agentls.configurationPreference", "agentls.targetVersion", "agentls.routingThreshold",
                "agentls.formatToolLists"):
        assert key in props, key


def test_vscode_problems_hover_completion_settings(vsix, code_server, tmp_path):
    tmp = make_sandbox(tmp_path)
    env = user_env(tmp)  # `agentls` on PATH: the default lookup
    ws = make_workspace(tmp)
    agent = ws / ".claude" / "agents" / "x.md"
    lines = agent.read_text(encoding="utf-8").split("\n")
    expected = [f for f in cli_findings(ws, env) if f["path"] == ".claude/agents/x.md"]
    codes = {f["code"] for f in expected}
    assert {"AGT502", "AGT211", "AGT700"} <= codes

    cs = CodeServer(code_server, tmp / "cs", env)
    # AGT211 raised to error: reaches the server as initializationOptions / workspace/configuration
    cs.settings_file.write_text(json.dumps({**BASE_SETTINGS, "agentls.rules": {"AGT211": "error"}}, indent=2))
    listed = cs.install(vsix)
    assert "agentls.agentls@0.1.0" in listed, listed
    model_line = next(line for line in lines if line.startswith("model:"))
    try:
        url = cs.start(ws)
        report = drive({
            "url": url,
            "open": [".claude", "agents", "x.md"],
            "open_other": ["notes", "draft.md"],
            "expect_codes": sorted(codes),
            "hover_line": model_line,
            "hover_expect": "Model the agent runs on",
            "completion_column": len("model: "),
            "completion_expect": ["opus", "haiku"],
            "settings_change": {  # workspace settings, as the Settings editor would write them
                "file": str(ws / ".vscode" / "settings.json"),
                "settings": {"agentls.rules": {"AGT211": "error", "AGT502": "off"}},
                "gone": "AGT502",
            },
        }, tmp, env)
    finally:
        clean = cs.stop()
    assert report["errors"] == [], report["errors"]
    assert clean, "code-server's process group survived SIGTERM"

    # every finding of `agentls check` is in the Problems panel, at VS Code's (UTF-16, 1-based) position
    rows = report["problems"]
    for f in expected:
        line = lines[f["line"] - 1]
        col = len(line[:f["column"] - 1].encode("utf-16-le")) // 2 + 1
        where = f"[Ln {f['line']}, Col {col}]"
        match = [r for r in rows if f["code"] in r["text"] and where in r["text"]]
        assert match, (f["code"], where, rows)
        want = "error" if f["code"] == "AGT211" else f["severity"]
        assert match[0]["severity"] == want, (f["code"], match[0])
        assert "agentls" in match[0]["text"]
    finding_rows = [r for r in rows if "AGT" in r["text"]]
    assert len(finding_rows) == len(expected), rows

    # hover and completion come from the server
    assert any("Model the agent runs on" in h for h in report["hover"]), report["hover"]
    suggestions = " ".join(report["completion"])
    for label in ("opus", "haiku", "inherit"):
        assert label in suggestions, report["completion"]

    # a Markdown file outside the agent locations got nothing: still only x.md's findings
    other = report["problems_with_other"]
    assert not any("draft.md" in r["text"] for r in other), other
    assert len([r for r in other if "AGT" in r["text"]]) == len(expected), other

    # the settings change on disk reached the server: AGT502 off, AGT211 still an error
    after = report["problems_after_settings"]
    assert not any("AGT502" in r["text"] for r in after), after
    assert [r["severity"] for r in after if "AGT211" in r["text"]] == ["error"], after
    assert any("AGT700" in r["text"] for r in after), after

    for name in ("vscode-problems.png", "vscode-hover.png", "vscode-completion.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000, name

    # the server's log in VS Code holds no warning from a normal session (pygls warned
    # "Cancel notification for unknown message id" at every start: issue 12)
    log = extension_log(cs)
    assert "Cancel notification for unknown message id" not in log, log
    assert "server running: agentls" in log, log


def test_vscode_says_once_when_server_missing(vsix, code_server, tmp_path):
    tmp = make_sandbox(tmp_path)
    env = user_env(tmp)
    ws = make_workspace(tmp)
    cs = CodeServer(code_server, tmp / "cs", env)
    cs.settings_file.write_text(json.dumps({**BASE_SETTINGS, "agentls.path": str(tmp / "nowhere" / "agentls")}))
    cs.install(vsix)
    try:
        url = cs.start(ws)
        report = drive({
            "url": url,
            "open": [".claude", "agents", "x.md"],
            "open_second": ["y.md"],
            "expect_notification": "language server was not found",
        }, tmp, env)
    finally:
        clean = cs.stop()
    assert report["errors"] == [], report["errors"]
    assert clean
    # shown as a toast, and exactly once in the session (two agent files were opened)
    assert any("language server was not found" in n for n in report["notifications"]), report["notifications"]
    said = [n for n in report["notification_center"] if "language server was not found" in n]
    assert len(said) == 1, report["notification_center"]
    assert "agentls.path" in said[0] and "pipx install ./agentls" in said[0]
    # the log says which setting was used and where it came from (code-server is a remote window)
    log = extension_log(cs)
    assert f'agentls.path: "{tmp / "nowhere" / "agentls"}" (from User or Remote settings [127.0.0.1:{cs.port}])' in log, log
    assert "which is not an executable file" in log, log


def extension_log(cs: CodeServer) -> str:
    """The extension's `agentls` output channel, as VS Code wrote it to disk."""
    logs = sorted(cs.user.glob("logs/*/exthost*/agentls.agentls/agentls.log"))
    assert logs, f"no agentls output channel log under {cs.user / 'logs'}"
    return "\n".join(p.read_text(encoding="utf-8") for p in logs)


def test_vscode_remote_window_names_where_the_server_settings_apply(vsix, code_server, tmp_path):
    """code-server is a remote window (`vscode.env.remoteName` is its host:port). With no
    agentls on PATH and no agentls.path/interpreter that VS Code applies in this window,
    the message says that local User settings do not apply in a remote window and where
    to set them; the log names each launch setting and its source. Setting the
    interpreter in Workspace settings, as told, starts the server."""
    tmp = make_sandbox(tmp_path)
    env = agentls_on_path_env(tmp / "home")
    env["PATH"] = os.pathsep.join(d for d in env["PATH"].split(os.pathsep)
                                  if d and not (Path(d) / "agentls").exists())
    assert shutil.which("agentls", path=env["PATH"]) is None
    ws = make_workspace(tmp)
    cs = CodeServer(code_server, tmp / "cs", env)
    cs.settings_file.write_text(json.dumps(BASE_SETTINGS))
    cs.install(vsix)
    try:
        url = cs.start(ws)
        report = drive({
            "url": url,
            "open": [".claude", "agents", "x.md"],
            "expect_notification": "language server was not found",
            "then_settings": {"file": str(ws / ".vscode" / "settings.json"),
                              "settings": {"agentls.interpreter": sys.executable}},
        }, tmp, env)
    finally:
        clean = cs.stop()
    assert report["errors"] == [], report["errors"]
    assert clean
    remote = f"127.0.0.1:{cs.port}"
    said = [n for n in report["notification_center"] if "language server was not found" in n]
    assert len(said) == 1, report["notification_center"]
    assert f"this is a remote window ({remote}), and agentls.path or agentls.interpreter set in your local " \
           "User settings does not apply in a remote window" in said[0]
    assert "Remote settings" in said[0] and "Workspace settings (.vscode/settings.json)" in said[0]

    log = extension_log(cs)
    assert f"remote window: {remote}" in log, log
    assert "agentls.path: not set" in log and "agentls.interpreter: not set" in log, log
    assert report["squiggle_after_settings"] is True
    assert f'agentls.interpreter: "{sys.executable}" (from Workspace settings)' in log, log
    assert f"starting {sys.executable} -m agentls serve (setting agentls.interpreter)" in log, log
    assert "server running: agentls" in log, log


def test_vscode_launch_settings_sources_and_remote_warning(vsix, tmp_path):
    """The decision logic of settingsScope.ts, as compiled into the .vsix, for windows
    code-server cannot be: a local window, and a remote one with Remote settings."""
    with zipfile.ZipFile(vsix) as z:
        (tmp_path / "settingsScope.js").write_bytes(z.read("extension/out/settingsScope.js"))
    cases = {
        "local_user": [None, {"agentls.path": {"globalValue": "/opt/agentls"}}],
        "local_unset": [None, {}],
        "remote_unset": ["ssh-remote", {}],
        "remote_blank_user": ["ssh-remote", {"agentls.path": {"globalValue": "  "}}],
        "remote_global": ["ssh-remote", {"agentls.interpreter": {"globalValue": "/usr/bin/python3"}}],
        "remote_workspace": ["wsl", {"agentls.path": {"globalValue": "/a", "workspaceValue": "/b"}}],
        "remote_folder": ["wsl", {"agentls.path": {"workspaceValue": "/b", "workspaceFolderValue": "/c"}}],
        "remote_python_only": ["ssh-remote", {"python.defaultInterpreterPath": {"globalValue": "/usr/bin/python3"}}],
    }
    script = """
const m = require('./settingsScope.js');
const cases = JSON.parse(process.argv[1]);
const out = {};
for (const [name, [remote, values]] of Object.entries(cases)) {
  const settings = [['agentls.path', true], ['agentls.interpreter', true], ['python.defaultInterpreterPath', false]]
    .map(([key, machine]) => ({ key, machine, inspected: values[key] || {} }));
  const r = remote || undefined;
  out[name] = { log: m.describeSettings(settings, r), warning: m.remoteUserSettingsWarning(settings, r) || null };
}
console.log(JSON.stringify(out));
"""
    proc = subprocess.run(["node", "-e", script, json.dumps(cases)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)

    assert got["local_user"]["log"][0] == 'agentls.path: "/opt/agentls" (from User settings)'
    assert got["local_user"]["log"][1:] == ["agentls.interpreter: not set", "python.defaultInterpreterPath: not set"]
    # a local window never gets the remote warning, set or not
    assert got["local_user"]["warning"] is None and got["local_unset"]["warning"] is None
    # remote, nothing VS Code applies here (a blank value is no value): the warning
    for name in ("remote_unset", "remote_blank_user"):
        warning = got[name]["warning"]
        assert warning and warning.startswith("this is a remote window (ssh-remote), and agentls.path or "
                                              "agentls.interpreter set in your local User settings"), name
        assert "Remote settings" in warning and "Workspace settings" in warning
    assert got["remote_blank_user"]["log"][0] == "agentls.path: not set"
    # remote with a value VS Code applied: no warning, and the log names the source
    assert got["remote_global"]["warning"] is None
    assert got["remote_global"]["log"][1] == \
        'agentls.interpreter: "/usr/bin/python3" (from User or Remote settings [ssh-remote])'
    assert got["remote_workspace"]["warning"] is None
    assert got["remote_workspace"]["log"][0] == 'agentls.path: "/b" (from Workspace settings)'
    assert got["remote_folder"]["log"][0] == 'agentls.path: "/c" (from Folder settings)'
    # python.defaultInterpreterPath belongs to another extension; only agentls's own keys silence it
    assert got["remote_python_only"]["warning"] is not None
    assert got["remote_python_only"]["log"][2] == \
        'python.defaultInterpreterPath: "/usr/bin/python3" (from User or Remote settings [ssh-remote])'
