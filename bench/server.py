"""Language-server benchmarks over stdio, with two real clients: a wire-level one
(``WireClient``: raw JSON-RPC frames, timed when the last byte arrives, so the figure is
the server's) and pygls' ``LanguageClient`` (which adds its own decoding to each figure).

    python -m bench.server [--edits 60] [--rounds 5] [--files 10000]
    python -m bench.server --startup-only [--rounds 9] [--old REV]
    python -m bench.server --keystroke-only [--rounds 3] [--edits 60] [--old REV]

* start-up: process start to the ``initialize`` result, and to the diagnostics of a
  file opened at once (the wire client), and the same through pygls' client;
* ``didChange`` -> ``publishDiagnostics`` latency (median, p95) on a 10 KB and a 1 MB
  agent file, with the server's debounce set to 0 (a bench-only override of
  ``DiagnosticsManager``'s default) and, separately, with the shipped debounce;
* workspace index: a server started on a generated 10,000-agent workspace, from
  ``initialized`` to the end of its indexing progress, and the server's RSS then.

Results: a table, and ``bench/results/server-<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from bench import gen
from bench.run import RESULTS, SNAPSHOT, child_env, export_server, machine, take_snapshot

SERVE = """
import sys
delay = float(sys.argv[1])
if delay >= 0:
    from agentls.lsp import diagnostics
    init = diagnostics.DiagnosticsManager.__init__
    init.__defaults__ = (delay,) + init.__defaults__[1:]
from agentls.lsp.server import run
run()
"""


def agent_text(size: int) -> str:
    head = ("---\nname: bench-agent\ndescription: Use this agent when the user asks for a review: it "
            "checks diffs.\ntools: Read, Grep, Glob, WebSerch\nmodel: sonnet\n---\n\n# Role\n\n")
    para = "You review code carefully and explain every finding with an example. 😀\n\n## Step\n\n"
    body = para * (size // len(para) + 1)
    return (head + body)[:size]


def rss_mb(pid: int) -> dict:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out


class Client:
    def __init__(self) -> None:
        self.lc = LanguageClient("agentls-bench", "1")
        self.waiters: dict[str, tuple[int, asyncio.Future]] = {}
        self.progress_end = asyncio.get_event_loop().create_future()
        self.diags: dict[str, list] = {}

        @self.lc.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _diag(params: types.PublishDiagnosticsParams):
            self.diags[params.uri] = params.diagnostics
            w = self.waiters.get(params.uri)
            if w and (params.version is None or params.version >= w[0]) and not w[1].done():
                w[1].set_result(time.perf_counter())

        @self.lc.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
        def _create(params):
            return None

        @self.lc.feature(types.PROGRESS)
        def _progress(params):
            value = params.value
            kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
            if kind == "end" and not self.progress_end.done():
                self.progress_end.set_result(time.perf_counter())

        @self.lc.feature(types.WINDOW_LOG_MESSAGE)
        def _log(params):
            pass

    async def start(self, delay: float, root: Path | None) -> dict:
        t0 = time.perf_counter()
        await self.lc.start_io(sys.executable, "-c", SERVE, str(delay), env=child_env())
        caps = types.ClientCapabilities(
            general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
            window=types.WindowClientCapabilities(work_done_progress=True),
            text_document=types.TextDocumentClientCapabilities(
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)))
        folders = [types.WorkspaceFolder(uri=root.as_uri(), name=root.name)] if root else None
        t1 = time.perf_counter()
        await self.lc.initialize_async(types.InitializeParams(
            capabilities=caps, process_id=os.getpid(), root_uri=root.as_uri() if root else None,
            workspace_folders=folders))
        t2 = time.perf_counter()
        self.lc.initialized(types.InitializedParams())
        self.t_initialized = time.perf_counter()
        return {"spawn_to_initialize_result_s": t2 - t0, "initialize_roundtrip_s": t2 - t1}

    @property
    def pid(self) -> int:
        return self.lc._server.pid

    async def open(self, uri: str, text: str) -> float:
        fut = asyncio.get_event_loop().create_future()
        self.waiters[uri] = (1, fut)
        t0 = time.perf_counter()
        self.lc.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))
        return await asyncio.wait_for(fut, 60) - t0

    async def change(self, uri: str, version: int, line: int, text: str) -> float:
        fut = asyncio.get_event_loop().create_future()
        self.waiters[uri] = (version, fut)
        t0 = time.perf_counter()
        pos = types.Position(line=line, character=0)
        self.lc.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=pos, end=pos), text=text)]))
        return await asyncio.wait_for(fut, 60) - t0

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.lc.shutdown_async(None), 10)
            self.lc.exit(None)
        finally:
            await self.lc.stop()


class WireClient:
    """A minimal LSP client on raw pipes: times when a message's last byte arrives.

    The pygls client above decodes every message into lsprotocol objects through cattrs
    before a handler sees it (and builds its converters on first use), which adds the
    client's own work to each figure. This one stamps the time as soon as a frame is
    read, before parsing it: the server's latency as the wire shows it.
    """

    def __init__(self, delay: float, env: dict[str, str] | None = None) -> None:
        self.t_spawn = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-c", SERVE, str(delay)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env or child_env())
        self.inbox: "queue.Queue[tuple[float, dict]]" = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = out.read(length)
            stamp = time.perf_counter()
            self.inbox.put((stamp, json.loads(body)))

    def send(self, message: dict) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        t = time.perf_counter()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()
        return t

    def wait(self, match, timeout: float = 60) -> tuple[float, dict]:
        deadline = time.perf_counter() + timeout
        while True:
            stamp, msg = self.inbox.get(timeout=max(0.01, deadline - time.perf_counter()))
            if "id" in msg and "method" in msg:  # a request from the server: accept it
                self.send({"id": msg["id"], "result": None})
            if match(msg):
                return stamp, msg

    def request(self, method: str, params) -> tuple[float, float, dict]:
        self.next_id += 1
        rid = self.next_id
        t0 = self.send({"id": rid, "method": method, "params": params})
        t1, msg = self.wait(lambda m: m.get("id") == rid and "method" not in m)
        return t0, t1, msg

    def initialize(self, root: Path | None) -> dict:
        params = {"processId": os.getpid(), "rootUri": root.as_uri() if root else None,
                  "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}] if root else None,
                  "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                                   "textDocument": {"publishDiagnostics": {"versionSupport": True}}}}
        t0, t1, msg = self.request("initialize", params)
        self.init_result = msg.get("result")
        self.send({"method": "initialized", "params": {}})
        return {"spawn_to_initialize_result_s": t1 - self.t_spawn, "initialize_roundtrip_s": t1 - t0}

    def diagnostics(self, uri: str, version: int) -> float:
        stamp, msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                               and m["params"]["uri"] == uri and (m["params"].get("version") or 0) >= version)
        self.last_diagnostics = msg["params"]
        return stamp

    def open(self, uri: str, text: str) -> float:
        t0 = self.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
        return self.diagnostics(uri, 1) - t0

    def change(self, uri: str, version: int, line: int, text: str) -> float:
        pos = {"line": line, "character": 0}
        t0 = self.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": pos, "end": pos}, "text": text}]}})
        return self.diagnostics(uri, version) - t0

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        try:
            self.request("shutdown", None)
            self.send({"method": "exit"})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def one_start(workdir: Path, env: dict[str, str] | None = None) -> tuple[dict, dict]:
    """One server start: its figures, and the ``initialize`` result and first
    diagnostics it sent (to compare two codes' answers)."""
    root = workdir / "start-ws"
    (root / ".claude" / "agents").mkdir(parents=True, exist_ok=True)
    uri = (root / ".claude" / "agents" / "first.md").as_uri()
    c = WireClient(-1, env)
    out = c.initialize(root)
    c.open(uri, agent_text(2_000))
    out["spawn_to_first_diagnostics_s"] = time.perf_counter() - c.t_spawn
    c.stop()
    return out, {"initialize": c.init_result, "diagnostics": c.last_diagnostics}


def wire_startup(rounds: int, workdir: Path) -> dict:
    """Spawn to the ``initialize`` result, and spawn to the diagnostics of a file opened
    as soon as that result arrives (what a user waits for: this includes loading
    PyYAML and the rules, which the server defers until ``initialize`` is answered)."""
    runs = [one_start(workdir)[0] for _ in range(rounds)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]} | {
        "min_s": min(r["spawn_to_initialize_result_s"] for r in runs),
        "max_s": max(r["spawn_to_initialize_result_s"] for r in runs),
        "first_min_s": min(r["spawn_to_first_diagnostics_s"] for r in runs),
        "first_max_s": max(r["spawn_to_first_diagnostics_s"] for r in runs)}


def old_and_new(workdir: Path, old_rev: str) -> dict[str, dict[str, str]]:
    """The children's environments for ``old_rev``'s ``server/`` (exported) and the
    working tree's (the snapshot), each with its own cache folder, both compiled."""
    old = export_server(old_rev, Path(tempfile.mkdtemp(prefix="agentls-old-", dir=workdir)))
    envs = {}
    for name, tree in (("old", old), ("new", SNAPSHOT)):
        env = child_env()
        env["PYTHONPATH"] = str(tree)
        env["AGENTLS_CACHE_DIR"] = str(workdir / f"cache-{name}-{os.getpid()}")
        envs[name] = env
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree)], env=env, check=True,
                       capture_output=True)
    return envs


def paired_keystrokes(rounds: int, edits: int, workdir: Path, old_rev: str | None) -> None:
    """``--keystroke-only``: the wire client's ``didChange`` -> diagnostics on the 10 KB
    and 1 MB files (debounce 0), one server per round, alternating with ``old_rev``'s."""
    envs = old_and_new(workdir, old_rev) if old_rev else {"new": child_env()}
    got: dict[str, dict[str, list[float]]] = {name: {"10KB": [], "1MB": []} for name in envs}
    load = os.getloadavg()[0]
    for i in range(rounds):
        for name in (list(envs) if i % 2 == 0 else list(envs)[::-1]):
            out = wire_edit_latency(0.0, edits, workdir, envs[name])
            for label in got[name]:
                got[name][label].append(out[label]["median_s"] * 1000)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {rounds} rounds of {edits} edits, load average {load:.2f} -> "
          f"{os.getloadavg()[0]:.2f}")
    for name, labels in got.items():
        for label, ms in labels.items():
            print(f"didChange -> diagnostics {label} {name}: median of the rounds' medians {statistics.median(ms):.2f} ms "
                  f"({min(ms):.2f}-{max(ms):.2f})")


def paired_startup(rounds: int, workdir: Path, old_rev: str) -> None:
    """``--startup-only --old REV``: the start-up of ``REV``'s ``server/`` against the
    working tree's, alternating in each round (old first in even rounds), each with its
    own cache folder (both warmed by one start first); medians with spread, the paired
    new/old ratios, and whether both answered ``initialize`` with the same JSON."""
    envs = old_and_new(workdir, old_rev)
    answers = {name: one_start(workdir, env)[1] for name, env in envs.items()}  # fills each cache
    figures: dict[str, list[dict]] = {"old": [], "new": []}
    load = os.getloadavg()[0]
    for i in range(rounds):
        for name in (("old", "new") if i % 2 == 0 else ("new", "old")):
            out, answer = one_start(workdir, envs[name])
            figures[name].append(out)
            if answer != answers[name]:
                answers[name] = {"differs between starts": True}
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {rounds} rounds, load average {load:.2f} -> "
          f"{os.getloadavg()[0]:.2f}; initialize results and first diagnostics identical: {answers['old'] == answers['new']}")
    for key, goal in (("spawn_to_initialize_result_s", 250), ("spawn_to_first_diagnostics_s", 350)):
        for name in ("old", "new"):
            ws = [r[key] * 1000 for r in figures[name]]
            print(f"{key} {name}: median {statistics.median(ws):.0f} ms ({min(ws):.0f}-{max(ws):.0f})")
        ratios = [n[key] / o[key] for o, n in zip(figures["old"], figures["new"])]
        print(f"{key} new/old paired median {statistics.median(ratios):.3f} ({min(ratios):.2f}-{max(ratios):.2f});"
              f" goal <= {goal} ms")


def wire_edit_latency(delay: float, edits: int, workdir: Path, env: dict[str, str] | None = None) -> dict:
    root = workdir / "edit-ws"
    (root / ".claude" / "agents").mkdir(parents=True, exist_ok=True)
    c = WireClient(delay, env)
    out = c.initialize(root)
    for label, size in (("10KB", 10_000), ("1MB", 1_000_000)):
        uri = (root / ".claude" / "agents" / f"bench-{label}.md").as_uri()
        first = c.open(uri, agent_text(size))
        lat = [c.change(uri, v, 12 + v % 5, "x") for v in range(2, edits + 2)]
        out[label] = {"open_s": first, "median_s": statistics.median(lat), "p95_s": pct(lat, 95),
                      "min_s": min(lat), "edits": len(lat)}
    out["rss_mb"] = rss_mb(c.pid)
    c.stop()
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def edit_latency(delay: float, edits: int, workdir: Path) -> dict:
    c = Client()
    root = workdir / "edit-ws"
    (root / ".claude" / "agents").mkdir(parents=True, exist_ok=True)
    out = await c.start(delay, root)
    for label, size in (("10KB", 10_000), ("1MB", 1_000_000)):
        uri = (root / ".claude" / "agents" / f"bench-{label}.md").as_uri()
        text = agent_text(size)
        first = await c.open(uri, text)
        lat = []
        for v in range(2, edits + 2):
            lat.append(await c.change(uri, v, 12 + v % 5, "x"))
        out[label] = {"open_s": first, "median_s": statistics.median(lat), "p95_s": pct(lat, 95),
                      "min_s": min(lat), "edits": len(lat), "diagnostics": len(c.diags.get(uri, []))}
    out["rss_mb"] = rss_mb(c.pid)
    await c.stop()
    return out


async def startup(rounds: int) -> dict:
    runs = []
    for _ in range(rounds):
        c = Client()
        runs.append(await c.start(-1, None))
        await c.stop()
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


async def index(root: Path) -> dict:
    c = Client()
    out = await c.start(-1, root)
    t_end = await asyncio.wait_for(c.progress_end, 600)
    out["index_s"] = t_end - c.t_initialized
    out["rss_mb"] = rss_mb(c.pid)
    # Cross-file results for an open file: a duplicate name across the workspace.
    target = next((root / ".claude" / "agents").rglob("code-reviewer-*.md"))
    await c.open(target.as_uri(), target.read_text(encoding="utf-8"))
    out["open_file_diagnostics"] = sorted({str(d.code) for d in c.diags.get(target.as_uri(), [])})
    await c.stop()
    return out


async def main_async(args) -> dict:
    results = {"machine": machine(), "when": time.strftime("%Y-%m-%dT%H:%M:%S")}
    results["wire_startup"] = wire_startup(args.rounds, args.workdir)
    print("start-up (wire):", json.dumps(results["wire_startup"]), flush=True)
    results["wire_edit"] = wire_edit_latency(0.0, args.edits, args.workdir)
    print("didChange (wire, debounce 0):", json.dumps(results["wire_edit"]), flush=True)
    results["startup"] = await startup(args.rounds)
    print("start-up:", json.dumps(results["startup"]), flush=True)
    results["edit_no_debounce"] = await edit_latency(0.0, args.edits, args.workdir)
    print("didChange (debounce 0):", json.dumps(results["edit_no_debounce"]), flush=True)
    results["edit_default_debounce"] = await edit_latency(-1, max(10, args.edits // 3), args.workdir)
    print("didChange (shipped debounce):", json.dumps(results["edit_default_debounce"]), flush=True)
    root = args.workdir / f"gen-{args.files}"
    if not (root / ".claude").exists():
        gen.generate(root, args.files)
    results["index"] = await index(root)
    results["index"]["files"] = args.files
    print("index:", json.dumps(results["index"]), flush=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description="agentls language-server benchmark")
    ap.add_argument("--edits", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "agentls-bench")
    ap.add_argument("--startup-only", action="store_true",
                    help="only spawn -> initialize and -> first diagnostics (issue 17's goals), with spread")
    ap.add_argument("--keystroke-only", action="store_true",
                    help="only didChange -> diagnostics on the 10 KB and 1 MB files, --rounds servers")
    ap.add_argument("--old", metavar="REV", help="with --startup-only or --keystroke-only: paired against REV's server/")
    args = ap.parse_args()
    take_snapshot()  # the servers run the package as it is now (see bench.run.SNAPSHOT)
    if args.keystroke_only:
        args.workdir.mkdir(parents=True, exist_ok=True)
        paired_keystrokes(args.rounds, args.edits, args.workdir, args.old)
        return
    if args.startup_only and args.old:
        args.workdir.mkdir(parents=True, exist_ok=True)
        paired_startup(args.rounds, args.workdir, args.old)
        return
    if args.startup_only:
        w = wire_startup(args.rounds, args.workdir)
        print(f"spawn -> initialize result: median {w['spawn_to_initialize_result_s'] * 1000:.0f} ms "
              f"(min {w['min_s'] * 1000:.0f}, max {w['max_s'] * 1000:.0f}, n={args.rounds}); goal ≤ 250 ms")
        print(f"spawn -> first diagnostics: median {w['spawn_to_first_diagnostics_s'] * 1000:.0f} ms "
              f"(min {w['first_min_s'] * 1000:.0f}, max {w['first_max_s'] * 1000:.0f}); goal ≤ 350 ms")
        return
    results = asyncio.run(main_async(args))
    e, d, i, s = results["edit_no_debounce"], results["edit_default_debounce"], results["index"], results["startup"]
    ms = lambda x: f"{x * 1000:.1f} ms"  # noqa: E731
    print("\n| measure | value | goal |\n|---|---:|---:|")
    w, we = results["wire_startup"], results["wire_edit"]
    print(f"| spawn -> initialize result, wire (min) | {ms(w['spawn_to_initialize_result_s'])} "
          f"({ms(w['min_s'])}) | ≤ 250 ms |")
    print(f"| spawn -> diagnostics of a file opened at once, wire | {ms(w['spawn_to_first_diagnostics_s'])} "
          f"| ≤ 350 ms |")
    print(f"| spawn -> initialize result, pygls client | {ms(s['spawn_to_initialize_result_s'])} | |")
    for label, goal in (("10KB", "≤ 2 ms"), ("1MB", "≤ 20 ms")):
        print(f"| didChange -> diagnostics, {label}, wire, median (p95) | "
              f"{ms(we[label]['median_s'])} ({ms(we[label]['p95_s'])}) | {goal} |")
        print(f"| same, pygls client | {ms(e[label]['median_s'])} ({ms(e[label]['p95_s'])}) | |")
        print(f"| same, pygls client, shipped debounce | {ms(d[label]['median_s'])} "
              f"({ms(d[label]['p95_s'])}) | |")
    print(f"| index {i['files']:,} files | {i['index_s']:.2f} s | ≤ 3 s |")
    print(f"| server RSS after indexing (peak) | {i['rss_mb'].get('VmRSS', 0):.0f} MB "
          f"({i['rss_mb'].get('VmHWM', 0):.0f} MB) | ≤ 100 MB |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    dest = RESULTS / f"server-{time.strftime('%Y%m%d-%H%M%S')}.json"
    dest.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nwritten: {dest}")


if __name__ == "__main__":
    main()
