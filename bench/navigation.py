"""Definition, references, rename and workspace-symbol latency on a generated workspace.

    python -m bench.navigation [--files 10000] [--requests 40] [--idle 0]

The workspace is :func:`bench.gen.generate`'s (real agent files, renamed), plus
references between them: one file in five gets a line naming three other agents
(``Agent(x)`` is not added to ``tools``, the mentions are in the body: "use the x agent",
``@agent-y``), and a ``lead`` agent that names a few. The server (pygls' client over
stdio, as in :mod:`bench.server`) indexes it; then, with ``lead.md`` open:

* the first ``textDocument/references`` (which waits for the reference index the server
  starts building when its scan ends; ``--idle S`` first waits S seconds, as a user
  reading before asking would);
* ``definition``, ``references`` and ``rename`` (the WorkspaceEdit computed, not applied),
  each ``--requests`` times on names of the lead file, p50 and p95;
* ``workspace/symbol`` with a three-letter query.

Results: a table, and ``bench/results/navigation-<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from lsprotocol import types

from bench import gen
from bench.run import RESULTS, machine
from bench.server import Client, rss_mb


def add_references(root: Path, seed: int = 2) -> tuple[Path, list[str]]:
    """Mentions of other agents in one file of five; a ``lead`` agent naming some."""
    rng = random.Random(seed)
    files = sorted((root / ".claude" / "agents").rglob("*.md"))
    names = []
    for path in files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:40]:
            if line.startswith("name: "):
                names.append(line[6:].strip())
                break
    names = [n for n in names if n and n != "code-reviewer"]
    for path in files[::5]:
        a, b, c = rng.sample(names, 3)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\nWhen done, use the {a} agent, ask @agent-{b} or delegate to the {c} subagent.\n")
    targets = rng.sample(names, 8)
    lead = root / ".claude" / "agents" / "lead.md"
    lines = [f"Use the {t} agent for part {i}." for i, t in enumerate(targets)]
    lead.write_text("---\nname: lead\ndescription: Coordinates the team. Use proactively.\n"
                    f"tools: Read, Agent({', '.join(targets[:4])})\n---\n\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")
    return lead, targets


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(values: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(values) * 1000, 2), "p95_ms": round(pct(values, 95) * 1000, 2),
            "n": len(values)}


async def run(root: Path, requests: int, idle: float = 0.0) -> dict:
    lead = root / ".claude" / "agents" / "lead.md"
    text = lead.read_text(encoding="utf-8")
    targets = [line.split("Use the ", 1)[1].split(" agent", 1)[0] for line in text.splitlines()
               if line.startswith("Use the ")]
    positions = []
    for i, line in enumerate(text.splitlines()):
        if line.startswith("Use the "):
            positions.append(types.Position(line=i, character=len("Use the ") + 2))
    c = Client()
    out: dict = await c.start(-1, root)
    t_end = await asyncio.wait_for(c.progress_end, 900)
    out["index_s"] = round(t_end - c.t_initialized, 2)
    if idle:  # a user who reads for a while before the first "find references"
        await asyncio.sleep(idle)
    out["idle_s"] = idle
    uri = lead.as_uri()
    # diagnostics while the reference index is built in the background (idle 0): not blocked
    out["open_to_diagnostics_s"] = round(await c.open(uri, text), 3)
    doc = types.TextDocumentIdentifier(uri=uri)
    lc = c.lc

    t0 = time.perf_counter()
    first = await lc.text_document_references_async(types.ReferenceParams(
        text_document=doc, position=positions[0], context=types.ReferenceContext(include_declaration=True)))
    out["first_references_s"] = round(time.perf_counter() - t0, 3)
    out["first_references_found"] = len(first or [])
    out["rss_mb_after_reference_index"] = rss_mb(c.pid)

    timings: dict[str, list[float]] = {"definition": [], "references": [], "rename": [], "workspace_symbol": []}
    found = {"definition": 0, "references": 0, "rename_files": 0}
    for i in range(requests):
        pos = positions[i % len(positions)]
        t0 = time.perf_counter()
        got = await lc.text_document_definition_async(types.DefinitionParams(text_document=doc, position=pos))
        timings["definition"].append(time.perf_counter() - t0)
        found["definition"] += len(got or [])
        t0 = time.perf_counter()
        got = await lc.text_document_references_async(types.ReferenceParams(
            text_document=doc, position=pos, context=types.ReferenceContext(include_declaration=True)))
        timings["references"].append(time.perf_counter() - t0)
        found["references"] += len(got or [])
        t0 = time.perf_counter()
        edit = await lc.text_document_rename_async(types.RenameParams(
            text_document=doc, position=pos, new_name=f"renamed-agent-{i}"))
        timings["rename"].append(time.perf_counter() - t0)
        found["rename_files"] += len((edit.changes or {}) if edit else {}) + len((edit.document_changes or [])
                                                                                 if edit else [])
        t0 = time.perf_counter()
        await lc.workspace_symbol_async(types.WorkspaceSymbolParams(query="rev"))
        timings["workspace_symbol"].append(time.perf_counter() - t0)
    await c.stop()
    for key, values in timings.items():
        out[key] = summary(values)
    out["per_request_found"] = {k: round(v / requests, 1) for k, v in found.items()}
    out["targets"] = targets
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="agentls navigation benchmark")
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--idle", type=float, default=0.0,
                    help="seconds to wait after the scan before opening lead.md and the first references")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "agentls-bench")
    args = ap.parse_args()
    import bench.run

    bench.run.USE_SNAPSHOT = False  # the server of this checkout, not bench.run's snapshot of the package
    root = args.workdir / f"nav-{args.files}"
    if not (root / ".claude" / "agents" / "lead.md").exists():
        gen.generate(root, args.files)
        add_references(root)
    results = {"machine": machine(agnix=False), "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "files": args.files}
    results.update(asyncio.run(run(root, args.requests, args.idle)))
    print(f"{args.files} files: indexed in {results['index_s']} s; diagnostics of lead.md "
          f"{results['open_to_diagnostics_s']} s after its open; first references {results['first_references_s']} s"
          f" (after {results['idle_s']} s idle)")
    print(f"{'request':<18}{'p50 ms':>10}{'p95 ms':>10}")
    for key in ("definition", "references", "rename", "workspace_symbol"):
        print(f"{key:<18}{results[key]['p50_ms']:>10}{results[key]['p95_ms']:>10}")
    print("found per request:", json.dumps(results["per_request_found"]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    dest = RESULTS / f"navigation-{time.strftime('%Y%m%d-%H%M%S')}.json"
    dest.write_text(json.dumps(results, indent=2))
    print(f"written: {dest}")


if __name__ == "__main__":
    main()
