"""In-process core throughput: parse + lint per file, without process start-up or output.

    python -m bench.core [ROOT] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def load(root: Path) -> list[tuple[str, str, str]]:
    from agentls.engine.discovery import discover

    return [(str(p), k, p.read_bytes().decode("utf-8", "replace")) for p, k in discover([root])]


def once(files) -> tuple[float, float, int]:
    from agentls.core.document import Document
    from agentls.rules.lint import context_for, lint

    t0 = time.perf_counter()
    docs = [(Document(text, path, kind), path, kind) for path, kind, text in files]
    t1 = time.perf_counter()
    n = 0
    for doc, path, kind in docs:
        n += len(lint(doc, context_for(path, kind=kind)))
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?", type=Path, default=REPO / "tests" / "data" / "corpus")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    import agentls.rules  # noqa: F401  (registers every rule before the timing)

    files = load(args.root)
    if args.profile:
        pr = cProfile.Profile()
        pr.enable()
        once(files)
        pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(30)
        return
    once(files)
    runs = [once(files) for _ in range(args.rounds)]
    parse = statistics.median(r[0] for r in runs)
    lint_t = statistics.median(r[1] for r in runs)
    n = len(files)
    print(f"{n} files, {runs[0][2]} findings: parse {parse * 1e3:.1f} ms ({parse / n * 1e6:.0f} us/file), "
          f"lint {lint_t * 1e3:.1f} ms ({lint_t / n * 1e6:.0f} us/file), "
          f"total {(parse + lint_t) / n * 1e6:.0f} us/file = {n / (parse + lint_t):,.0f} files/s")


if __name__ == "__main__":
    main()
