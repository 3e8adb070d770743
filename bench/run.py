"""CLI benchmarks: ``agentls check`` side by side with agnix on the same files.

    python -m bench.run                 # corpus + 10,000-file workspaces, 5 rounds
    python -m bench.run --quick         # corpus only, 3 rounds
    python -m bench.run --only corpus --only pre-commit --rounds 7
    python -m bench.run --rounds 5 --files 10000 --agnix-gen-rounds 1

Each run is a child process; wall time comes from ``perf_counter`` around it and
peak memory (max RSS) and CPU time from ``os.wait4`` for that child alone. Tools
alternate within a round (A/B/A/B...) so drift on the machine hits both. Results
are printed as a table and written to ``bench/results/cli-<timestamp>.json``.

Each workload runs four commands: ``agentls`` (cold: ``--no-cache``, the default worker
count), ``agentls-j1`` (cold, one process), ``agentls-cached`` (a repeat run on the
unchanged tree, with the content cache filled by a run before the rounds) and agnix.
Each round's agentls time over the same round's agnix time is a paired ratio; the
ratios issue 17 sets goals for are printed last as the median of the rounds with their
minimum and maximum (the machine is shared: compare within a round, not across runs).

agnix is found next to this Python, else on ``PATH`` (``PATH=/path/to/venv/bin:$PATH
python -m bench.run`` when it lives in another environment).

Workloads:

* ``corpus``: ``tests/data/corpus`` (real agent, skill and command files).
* ``pre-commit-5``: the hook's command (``agentls check FILE...``) on five corpus files
  that the hook's ``files`` pattern selects, as pre-commit names changed files; cold and
  cached. Goal: under 100 ms wall.
* ``corpus-x31``: 31 copies of the corpus in its own layout (~10,000 files).
* ``gen-10k``: a generated ``.claude/agents`` workspace (``bench.gen``), 10,000 agents.
  agnix is much slower there (it grows faster than linearly with the number of agents
  in one project), so it runs ``--agnix-gen-rounds`` times (default 1, with a time-out).

The children run a copy of the package taken when the bench starts (``--no-snapshot``:
the checkout itself), so that edits made meanwhile change neither the figures nor the
content cache's key. agentls runs with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` unset) after one
warm-up run, as an installed package would; this workplace sets that variable, which
would otherwise make every start recompile the package.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import gen

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """The real executable (not a version-manager shim, which adds ~60 ms per start)."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (pip install {name})")
    return found


CACHE_DIR = Path(tempfile.gettempdir()) / "agentls-bench-cache"
# The package as it stands when the bench starts, which the children import (PYTHONPATH):
# other edits to the checkout during a run would change agentls' sources, and with them
# the content cache's key (see agentls.cli.cache.code_stamp) and the figures.
SNAPSHOT = Path(tempfile.gettempdir()) / "agentls-bench-snapshot"
USE_SNAPSHOT = True


def take_snapshot() -> None:
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    shutil.copytree(REPO / "server" / "agentls", SNAPSHOT / "agentls",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def export_server(rev: str, folder: Path) -> Path:
    """``rev``'s ``server/`` (``git archive``) in ``folder``: its path, for PYTHONPATH."""
    archive = subprocess.run(["git", "archive", rev, "server/agentls"], cwd=REPO, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "server"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("AGENTLS_NO_CACHE", None)
    env["NO_COLOR"] = "1"
    # The content cache of the cached runs: outside the checkout (the corpus is in it).
    env["AGENTLS_CACHE_DIR"] = str(CACHE_DIR)
    if USE_SNAPSHOT and SNAPSHOT.exists():
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SNAPSHOT), env.get("PYTHONPATH", "")) if p)
    return env


def run(argv: list[str], cwd: Path, timeout: float | None = None) -> dict:
    """Run one child; wall seconds, CPU seconds and peak RSS of that child."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, env=child_env())
        # A blocking wait: polling (every 0.5 ms, as before) took CPU from the child on a
        # two-core machine. A timer kills a child that runs past ``timeout``.
        timer = None
        if timeout is not None:
            import threading

            timer = threading.Timer(timeout, proc.kill)
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if timer is not None:
            timer.cancel()
            if wall >= timeout:
                return {"timeout": timeout}
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        data = out.read()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "rc": proc.returncode, "output": data}


def agentls_cmd(path: str, jobs: int = 0, cache: bool = False) -> list[str]:
    """``jobs`` 0: the default (worker processes for 400+ files on Linux); 1: one process.
    ``cache``: with the content cache (``.agentls_cache``, here in the bench's own folder:
    see :func:`child_env`); else ``--no-cache``, a cold run."""
    return [tool("agentls"), "check", "--format", "json", "--exit-zero", "--jobs", str(jobs),
            *([] if cache else ["--no-cache"]), path]


def agnix_cmd(path: str) -> list[str]:
    return [tool("agnix"), "--max-files", "0", "--format", "json", path]


def count_agentls(output: bytes) -> tuple[int, int]:
    data = json.loads(output)
    items = data if isinstance(data, list) else data.get("findings", data.get("diagnostics", []))
    return len({d["path"] for d in items}), len(items)


def count_agnix(output: bytes) -> tuple[int, int]:
    data = json.loads(output)
    return data.get("files_checked", 0), len(data.get("diagnostics", []))


def precommit_files(corpus: Path) -> list:
    """The corpus's agent files that the pre-commit hook's ``files`` pattern selects."""
    import re

    sys.path.insert(0, str(REPO / "server"))
    from agentls.engine.discovery import discover

    hooks = (REPO / ".pre-commit-hooks.yaml").read_text()
    pattern = re.compile(next(line.split(":", 1)[1].strip() for line in hooks.splitlines()
                              if line.strip().startswith("files:")))
    return [(p, k) for p, k in discover([corpus]) if pattern.search(p.relative_to(corpus).as_posix())]


def agent_files(root: Path) -> int:
    sys.path.insert(0, str(REPO / "server"))
    from agentls.engine.discovery import discover

    return len(discover([root]))


# What issue 17 asks of each workload: agentls' time over agnix's, at most this.
GOALS = {"agentls": 1.0, "agentls-cached": 0.5}


def spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def fmt_spread(x: dict, unit: str = "", scale: float = 1.0, digits: int = 2) -> str:
    return (f"{x['median'] * scale:.{digits}f}{unit} ({x['min'] * scale:.{digits}f}-"
            f"{x['max'] * scale:.{digits}f}, n={x['n']})")


def bench_workload(name: str, root: Path, rounds: int, agnix_rounds: int, timeout: float,
                   paths: list[str] | None = None) -> dict:
    """Alternating runs of each command; each round's agentls times over the same
    round's agnix time give the paired ratios. ``paths``: what to name on the command
    line (default: the folder, ``.``)."""
    named = paths or ["."]
    files = agent_files(root) if paths is None else len(paths)
    print(f"\n== {name}: {files} agent files under {root}", flush=True)
    shutil.rmtree(CACHE_DIR, ignore_errors=True)
    commands = {"agentls": agentls_cmd(named[0]), "agentls-j1": agentls_cmd(named[0], 1),
                "agentls-cached": agentls_cmd(named[0], cache=True), "agnix": agnix_cmd(named[0])}
    if paths is not None:  # files named on the command line, as pre-commit passes them
        commands = {t: [*argv[:-1], *named] for t, argv in commands.items() if t != "agnix"}
        commands["agnix"] = agnix_cmd(".")  # agnix takes one path: the whole corpus, for scale
    run(commands["agentls"], root)  # warm-up: bytecode cache, page cache
    run(commands["agentls-cached"], root)  # fills the content cache
    samples: dict[str, list[dict]] = {t: [] for t in commands}
    for r in range(rounds):
        order = list(samples)
        order = order[r % len(order):] + order[:r % len(order)]  # each tool in each place in turn
        for t in order:
            if t == "agnix" and len(samples["agnix"]) >= agnix_rounds:
                continue
            res = run(commands[t], root, timeout if t == "agnix" else None)
            res["round"] = r
            if "timeout" in res:
                print(f"  round {r + 1} {t}: timed out after {timeout:.0f} s", flush=True)
                samples[t].append(res)
                continue
            counted = count_agnix(res["output"]) if t == "agnix" else count_agentls(res["output"])
            res["counted"] = counted
            del res["output"]
            samples[t].append(res)
            print(f"  round {r + 1} {t:14s} {res['wall']:7.3f} s  cpu {res['cpu']:6.2f} s  "
                  f"rss {res['rss_mb']:6.1f} MB  (files/diag: {counted})  load {os.getloadavg()[0]:.1f}",
                  flush=True)
    out = {"files": files, "rounds": rounds}
    for t, runs in samples.items():
        ok = [s for s in runs if "wall" in s]
        if not ok:
            out[t] = {"timeouts": len(runs)}
            continue
        walls = [s["wall"] for s in ok]
        out[t] = {
            "runs": len(ok), "timeouts": len(runs) - len(ok),
            "median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "cpu_s": statistics.median(s["cpu"] for s in ok),
            "files_per_s": files / statistics.median(walls),
            "peak_rss_mb": max(s["rss_mb"] for s in ok),
            "files_with_findings_or_checked": ok[0]["counted"][0], "findings": ok[0]["counted"][1],
        }
    if paths is None and "median_s" in out["agnix"]:
        agnix = {s["round"]: s["wall"] for s in samples["agnix"] if "wall" in s}
        out["paired_ratios"] = {}
        for t in commands:
            if t == "agnix":
                continue
            pairs = [s["wall"] / agnix[s["round"]] for s in samples[t] if "wall" in s and s["round"] in agnix]
            if pairs:
                out["paired_ratios"][t] = spread(pairs)
        for t, key in (("agentls", "ratio"), ("agentls-j1", "ratio_j1"), ("agentls-cached", "ratio_cached")):
            if "median_s" in out[t]:
                out[key] = out[t]["median_s"] / out["agnix"]["median_s"]
    return out


def ratios(results: dict) -> str:
    """Each ratio issue 17 sets a goal for, with its spread over the paired rounds."""
    lines = []
    for name, w in results["workloads"].items():
        for t, x in w.get("paired_ratios", {}).items():
            goal = GOALS.get(t)
            verdict = "" if goal is None else (f"  goal <= {goal:.2f}: " + ("met" if x["median"] <= goal
                                                                             else "NOT met"))
            lines.append(f"  {name:12s} {t:15s} / agnix  {fmt_spread(x)}{verdict}")
    pre = results["workloads"].get("pre-commit-5")
    if pre:
        for t in ("agentls", "agentls-cached"):
            if "median_s" in pre[t]:
                x = {"median": pre[t]["median_s"], "min": pre[t]["min_s"], "max": pre[t]["max_s"],
                     "n": pre[t]["runs"]}
                verdict = "met" if x["median"] < 0.1 else "NOT met"
                lines.append(f"  pre-commit-5 {t:15s} wall   {fmt_spread(x, ' ms', 1000, 0)}  goal < 100 ms: "
                             f"{verdict}")
    return "\n".join(lines)


def startup(rounds: int) -> dict:
    """Process start-up alone: an empty folder, and ``--version``."""
    empty = Path(tempfile.mkdtemp())
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -S -c pass": [sys.executable, "-S", "-c", "pass"],
        "python -c 'import agentls.cli.main'": [sys.executable, "-c", "import agentls.cli.main"],
        "agentls check <empty dir>": agentls_cmd("."),
        "agnix <empty dir>": agnix_cmd("."),
    }
    out = {}
    for label, argv in cases.items():
        run(argv, empty)
        walls = [run(argv, empty)["wall"] for _ in range(rounds)]
        out[label] = statistics.median(walls)
        print(f"  start-up {label:34s} {out[label] * 1000:7.1f} ms", flush=True)
    shutil.rmtree(empty)
    return out


def machine(agnix: bool = True) -> dict:
    """The machine the figures come from (and agnix's version, unless ``agnix=False``)."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    out = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
           "platform": platform.platform()}
    if agnix:
        out["agnix"] = subprocess.run([tool("agnix"), "--version"], capture_output=True, text=True).stdout.strip()
    return out


def table(results: dict) -> str:
    rows = ["| workload | files | agentls median s | agentls files/s | agentls RSS MB | agentls -j1 s | "
            "agnix median s | agnix files/s | agnix RSS MB | ratio agentls/agnix | ratio -j1 | "
            "cached s | ratio cached |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, w in results["workloads"].items():
        a, a1, b = w["agentls"], w.get("agentls-j1", {}), w["agnix"]
        c = w.get("agentls-cached", {})

        def cells(x):
            if "median_s" not in x:
                return ["timeout", "-", "-"]
            return [f"{x['median_s']:.3f}", f"{x['files_per_s']:,.0f}", f"{x['peak_rss_mb']:.0f}"]

        ratio = f"{w['ratio']:.2f}" if "ratio" in w else "-"
        ratio1 = f"{w['ratio_j1']:.2f}" if "ratio_j1" in w else "-"
        serial = f"{a1['median_s']:.3f}" if "median_s" in a1 else "-"
        cached = f"{c['median_s']:.3f}" if "median_s" in c else "-"
        ratio_c = f"{w['ratio_cached']:.2f}" if "ratio_cached" in w else "-"
        rows.append(f"| {name} | {w['files']:,} | " + " | ".join(cells(a) + [serial] + cells(b))
                    + f" | {ratio} | {ratio1} | {cached} | {ratio_c} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description="agentls vs agnix CLI benchmark")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="corpus only, 3 rounds")
    ap.add_argument("--agnix-gen-rounds", type=int, default=1)
    ap.add_argument("--agnix-timeout", type=float, default=600)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "agentls-bench")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="run the checkout's package itself, not a copy taken at the start")
    ap.add_argument("--only", choices=["corpus", "corpus-x31", "gen-10k", "pre-commit"], action="append")
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.only = 3, ["corpus"]
    only = set(args.only or ["corpus", "pre-commit", "corpus-x31", "gen-10k"])
    global USE_SNAPSHOT
    USE_SNAPSHOT = not args.no_snapshot
    if USE_SNAPSHOT:
        take_snapshot()
    subprocess.run([sys.executable, "-m", "compileall", "-q",
                    str((SNAPSHOT if USE_SNAPSHOT else REPO / "server") / "agentls")],
                   env=child_env(), check=False)
    results = {"machine": machine(), "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "workloads": {}}
    print("machine:", results["machine"], flush=True)
    results["startup_s"] = startup(args.rounds * 2)
    if "corpus" in only:
        results["workloads"]["corpus"] = bench_workload("corpus", REPO / "tests" / "data" / "corpus",
                                                        args.rounds, args.rounds, args.agnix_timeout)
    if "pre-commit" in only:  # the hook's command on 5 changed files, named as pre-commit names them
        corpus = REPO / "tests" / "data" / "corpus"
        five = [str(p.relative_to(corpus)) for p, _ in precommit_files(corpus)[:5]]
        results["workloads"]["pre-commit-5"] = bench_workload("pre-commit-5", corpus, args.rounds * 2, 1,
                                                              args.agnix_timeout, paths=five)
    if "corpus-x31" in only:
        root = args.workdir / "corpus-x31"
        if not root.exists():
            for i in range(31):
                shutil.copytree(REPO / "tests" / "data" / "corpus", root / f"copy{i:02d}")
        results["workloads"]["corpus-x31"] = bench_workload("corpus-x31", root, args.rounds, args.rounds,
                                                            args.agnix_timeout)
    if "gen-10k" in only:
        root = args.workdir / f"gen-{args.files}"
        if not (root / ".claude").exists():
            gen.generate(root, args.files)
        results["workloads"][f"gen-{args.files // 1000}k"] = bench_workload(
            f"gen-{args.files // 1000}k", root, args.rounds, args.agnix_gen_rounds, args.agnix_timeout)
    print("\n" + table(results))
    print("\nratios (median of the paired rounds, min-max):\n" + ratios(results))
    RESULTS.mkdir(parents=True, exist_ok=True)
    dest = RESULTS / f"cli-{time.strftime('%Y%m%d-%H%M%S')}.json"
    dest.write_text(json.dumps(results, indent=2))
    print(f"\nwritten: {dest.relative_to(REPO)}")


if __name__ == "__main__":
    main()
