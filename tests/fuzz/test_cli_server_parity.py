"""The CLI (``--format json``) and the language server report the same findings.

A small workspace of realistic agent files (corpus files with the defects
``bench.gen`` injects, plus hostile ones) is checked by ``agentls check`` and by the
real ``python -m agentls serve`` over stdio (utf-32 positions, so columns are code
points like the CLI's). Both must give the same (code, line, column) set per file.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench import gen  # noqa: E402

HOSTILE = [
    "---\nname: a\x00b\ndescription: Use when: x 😀 𝔘\r\ntools: [Read, Grepp\n---\nbody\n",
    "\ufeff---\r\nname: Weird_Name\r\ndescription: \"unclosed\r\n---\r\n# H\r\n#### skip\r\n",
    "---\na: &a [x, x]\nb: *a\nname: *a\ncolor: !!python/object:os.system x\n---\n<example>\n",
    "---\nname: deep\nx: " + "[" * 2000 + "\n---\nbody\n",
]


def workspace(root: Path) -> list[Path]:
    rng = random.Random(7)
    texts = gen.sources()
    agents = root / ".claude" / "agents"
    agents.mkdir(parents=True)
    paths = []
    for i in range(12):
        text = gen._NAME_LINE.sub(f"name: agent-{i % 10}", rng.choice(texts), count=1)
        paths.append(agents / f"a{i}.md")
        paths[-1].write_text(gen._defect(rng, text) if i % 2 else text, encoding="utf-8", newline="")
    for i, text in enumerate(HOSTILE):
        paths.append(agents / f"h{i}.md")
        paths[-1].write_text(text, encoding="utf-8", newline="")
    return paths


def cli_findings(root: Path) -> dict[str, set]:
    proc = subprocess.run([sys.executable, "-m", "agentls", "check", "--format", "json", "--exit-zero", "."],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out: dict[str, set] = {}
    for d in json.loads(proc.stdout):
        out.setdefault(Path(d["path"]).name, set()).add((d["code"], d["line"], d["column"]))
    return out


async def server_findings(root: Path, paths: list[Path]) -> dict[str, set]:
    client = LanguageClient("parity", "1")
    published: dict[str, asyncio.Future] = {}
    scanned = asyncio.get_running_loop().create_future()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _diag(params: types.PublishDiagnosticsParams):
        fut = published.get(params.uri)
        if fut is not None and not fut.done():
            fut.set_result(params.diagnostics)

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def _create(params):
        return None

    @client.feature(types.PROGRESS)
    def _progress(params):
        value = params.value
        kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
        if kind == "end" and not scanned.done():
            scanned.set_result(True)

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def _log(params):
        pass

    await client.start_io(sys.executable, "-m", "agentls", "serve", env=dict(os.environ))
    try:
        await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(
                general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf32]),
                window=types.WindowClientCapabilities(work_done_progress=True)),
            root_uri=root.as_uri(), workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")]))
        client.initialized(types.InitializedParams())
        await asyncio.wait_for(scanned, 60)
        out: dict[str, set] = {}
        for path in paths:
            uri = path.as_uri()
            published[uri] = asyncio.get_running_loop().create_future()
            client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1,
                text=path.read_bytes().decode("utf-8", "replace"))))
            diags = await asyncio.wait_for(published[uri], 60)
            out[path.name] = {(str(d.code), d.range.start.line + 1, d.range.start.character + 1) for d in diags}
        await asyncio.wait_for(client.shutdown_async(None), 10)
        client.exit(None)
    finally:
        await client.stop()
    return {k: v for k, v in out.items() if v}


async def test_cli_and_server_agree(tmp_path):
    paths = workspace(tmp_path)
    cli = cli_findings(tmp_path)
    server = await server_findings(tmp_path, paths)
    assert sum(len(v) for v in cli.values()) > 20  # the workspace does exercise the rules
    for name in sorted(set(cli) | set(server)):
        assert cli.get(name, set()) == server.get(name, set()), name
