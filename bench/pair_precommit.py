"""Paired start-up timing of the pre-commit command, old code against new (issue 17).

``python -m bench.pair_precommit [--rounds 11] [--old REV]``: exports ``REV`` (default
``HEAD~1``) of ``server/`` to a temporary folder, then runs the hook's command (``agentls
check --format json FILE...`` on the 5 corpus files of ``bench.run``'s ``pre-commit-5``)
cold (``--no-cache``) and cached, alternating old and new in each round (old first in
even rounds), each child with its own cache folder and ``PYTHONPATH``. Prints the medians,
the median of the paired new/old ratios with their spread, the load average before and
after, and whether both codes' reports are identical.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import export_server, precommit_files

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "data" / "corpus"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--old", default="HEAD~1", help="the git revision to compare against")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="agentls-pair-"))
    old = work / "old"
    old.mkdir()
    variants = {"old": str(export_server(args.old, old)), "new": str(REPO / "server")}
    for tree in variants.values():
        subprocess.run([sys.executable, "-m", "compileall", "-q", tree], check=True, capture_output=True)
    files = [str(p.relative_to(CORPUS)) for p, _ in precommit_files(CORPUS)[:5]]

    def run(v: str, cached: bool) -> tuple[float, bytes]:
        env = {**os.environ, "PYTHONPATH": variants[v], "NO_COLOR": "1", "AGENTLS_CACHE_DIR": str(work / f"cache-{v}")}
        env.pop("AGENTLS_NO_CACHE", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        argv = [sys.executable, "-c", "import sys; from agentls.cli.main import main; sys.exit(main())",
                "check", "--format", "json", "--exit-zero", *([] if cached else ["--no-cache"]), *files]
        t = time.perf_counter()
        r = subprocess.run(argv, cwd=CORPUS, env=env, capture_output=True, check=True)
        return time.perf_counter() - t, r.stdout

    outs = {}
    for v in variants:
        for c in (False, True):
            run(v, c)
            _, outs[v, c] = run(v, c)  # warm: bytecode, page cache, the content cache
    same = all(outs["old", c] == outs["new", c] for c in (False, True))
    walls: dict[tuple[str, bool], list[float]] = {(v, c): [] for v in variants for c in (False, True)}
    ratios: dict[bool, list[float]] = {False: [], True: []}
    load_before = os.getloadavg()
    for i in range(args.rounds):
        for c in (False, True):
            w = {}
            for v in (["old", "new"] if i % 2 == 0 else ["new", "old"]):
                w[v], _ = run(v, c)
                walls[v, c].append(w[v])
            ratios[c].append(w["new"] / w["old"])
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}; "
          f"reports identical: {same}")
    for (v, c), ws in walls.items():
        print(f"{v} {'cached' if c else 'cold  '} median {statistics.median(ws) * 1000:6.1f} ms "
              f"({min(ws) * 1000:.1f}-{max(ws) * 1000:.1f})")
    for c, r in ratios.items():
        print(f"{'cached' if c else 'cold  '} new/old paired median {statistics.median(r):.3f} "
              f"({min(r):.2f}-{max(r):.2f})")


if __name__ == "__main__":
    main()
