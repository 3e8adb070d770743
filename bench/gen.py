"""Generate a realistic agent workspace for benchmarks: ``<root>/.claude/agents/**.md``.

Every file is a real agent file from ``tests/data/corpus`` or ``tests/data/seeds`` with
its ``name`` rewritten (mostly unique, a few duplicates across the workspace) and, for
about one file in six, a realistic defect: CRLF, a BOM, an unquoted ``: `` in the
description, an unknown or misspelt tool, a missing or unclosed fence, mojibake, a
tab-indented key, a custom YAML tag. Output is deterministic for a given seed.

    python -m bench.gen /tmp/ws 10000 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "data" / "corpus"
SEEDS = REPO / "tests" / "data" / "seeds"

_NAME_LINE = re.compile(r"^name:.*$", re.MULTILINE)
_WORDS = ("code", "review", "test", "api", "data", "security", "docs", "infra", "ui", "perf",
          "migration", "python", "rust", "go", "sql", "cloud", "release", "triage", "design", "ops")


def sources() -> list[str]:
    files = sorted(CORPUS.rglob("*.md")) + sorted(SEEDS.glob("*.txt"))
    out = []
    for f in files:
        text = f.read_bytes().decode("utf-8", "replace")
        if text.lstrip("\ufeff").startswith("---"):
            out.append(text)
    return out


def _name(rng: random.Random, i: int) -> str:
    return f"{rng.choice(_WORDS)}-{rng.choice(_WORDS)}-{i}"


def _defect(rng: random.Random, text: str) -> str:
    kind = rng.randrange(10)
    if kind == 0:
        return text.replace("\n", "\r\n")
    if kind == 1:
        return "\ufeff" + text
    if kind == 2:
        return re.sub(r"^description:.*$", "description: Use when: the user asks for a review: be quick",
                      text, count=1, flags=re.MULTILINE)
    if kind == 3:
        return re.sub(r"^name:(.*)$", r"name:\1\ntools: Read, Grepp, WebSerch, Bash(git:*)", text, count=1,
                      flags=re.MULTILINE)
    if kind == 4:  # closing fence lost
        return text.replace("\n---\n", "\n\n", 1) if text.count("\n---\n") else text
    if kind == 5:
        return text.replace("—", "â€”").replace("\n\n", "\n\nYouâ€™re the reviewer.\n\n", 1)
    if kind == 6:
        return re.sub(r"^(name:.*)$", "\\1\n\tmodel: sonnet", text, count=1, flags=re.MULTILINE)
    if kind == 7:
        return re.sub(r"^(name:.*)$", "\\1\ncolor: !!python/object:os.system blue", text, count=1,
                      flags=re.MULTILINE)
    if kind == 8:
        return re.sub(r"^description:.*$", "", text, count=1, flags=re.MULTILINE)
    return re.sub(r"^(name:.*)$", "\\1\nmodel: gpt-4o\nmaxTurns: many", text, count=1, flags=re.MULTILINE)


def generate(root: Path, count: int, seed: int = 1, per_dir: int = 500) -> list[Path]:
    rng = random.Random(seed)
    texts = sources()
    agents = root / ".claude" / "agents"
    if agents.exists():
        shutil.rmtree(agents)
    paths = []
    for i in range(count):
        text = texts[rng.randrange(len(texts))]
        name = _name(rng, i) if rng.random() > 0.01 else "code-reviewer"  # a few duplicates
        text, n = _NAME_LINE.subn(f"name: {name}", text, count=1)
        if rng.random() < 1 / 6:
            text = _defect(rng, text)
        folder = agents / f"team-{i // per_dir:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (f"{name}.md" if name != "code-reviewer" else f"{name}-{i}.md")
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    paths = generate(args.root, args.count, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files, {size / 1e6:.1f} MB under {args.root / '.claude' / 'agents'}")


if __name__ == "__main__":
    main()
