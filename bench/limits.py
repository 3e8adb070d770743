"""Documents at the documented limits: how long each editor operation takes on them.

    python -m bench.limits              # every document, fastest of 3
    python -m bench.limits --rounds 5 --only same-key

The limits are in ``agentls.core.document`` (``MAX_FRONTMATTER_CHARS``: 64 KiB of YAML,
``MAX_DOCUMENT_CHARS``: 1 MiB in all). Each document fills one of them with one
dimension: short ``key: value`` lines, one key repeated, a tools list, headings,
``<example>`` tags, suppression comments. For each, in-process and single-threaded:

* ``lint``: parse and lint (what ``didOpen``/``didChange`` costs before publishing);
* ``complete`` and ``hover``: one request in the frontmatter (or at the last heading),
  with the findings already known, as the server has them;
* ``quickfix``: the quick fixes of one line (each verified alone, as the server does);
* ``fix-all``: ``source.fixAll`` / ``check --fix`` (:func:`agentls.engine.fixes.fix_document`).

Each figure is the fastest of ``--rounds`` runs (the machine's noise only adds).
"""

from __future__ import annotations

import argparse
import time

from agentls.core.document import MAX_DOCUMENT_CHARS, MAX_FRONTMATTER_CHARS, Document
from agentls.engine.fixes import fix_document, try_fix
from agentls.rules.lint import Context, lint
from agentls.services.completion import CompletionContext, complete
from agentls.services.hover import HoverContext, hover

PATH = "/w/.claude/agents/big.md"
HEAD = "---\nname: big\ndescription: Reviews code for quality. Use proactively after edits.\n"


def _fill(line, room: int) -> tuple[str, int]:
    out, size, i = [], 0, 0
    while True:
        piece = line(i)
        if size + len(piece) > room:
            return "".join(out), i
        out.append(piece)
        size += len(piece)
        i += 1


def documents(yaml_chars: int = MAX_FRONTMATTER_CHARS,
              document_chars: int = MAX_DOCUMENT_CHARS) -> dict[str, tuple[str, int]]:
    """name -> (text, how many of the thing), each filling one of the limits."""
    YAML_ROOM = yaml_chars - len(HEAD) - 64
    BODY_ROOM = document_chars - 1024
    docs = {}
    yaml, n = _fill(lambda i: f"k{i}: v\n", YAML_ROOM)
    docs["distinct-keys"] = (HEAD + yaml + "\n---\nBody.\n", n)
    yaml, n = _fill(lambda i: "model: sonnet\n", YAML_ROOM)
    docs["same-key"] = (HEAD + yaml + "\n---\nBody.\n", n)
    kinds = ("Read", "Grepp{i}", "LS(x{i})", "Task(a{i})", "mcp__s{i}__t", "Grep")
    yaml, n = _fill(lambda i: f"  - {kinds[i % len(kinds)].format(i=i)}\n", YAML_ROOM - 8)
    docs["tools-list"] = (HEAD + "tools:\n" + yaml + "\n---\nBody.\n", n)
    yaml, n = _fill(lambda i: f"T{i}, ", YAML_ROOM - 8)
    docs["tools-comma"] = (HEAD + "tools: " + yaml + "Read\n\n---\nBody.\n", n)
    body, n = _fill(lambda i: f"# Part {i}\n### Step {i}\n", BODY_ROOM)
    docs["headings"] = (HEAD + "\n---\n" + body + "## \n", n)
    body, n = _fill(lambda i: "<example>\n", BODY_ROOM)
    docs["example-tags"] = (HEAD + "\n---\n" + body + "## \n", n)
    body, n = _fill(lambda i: f"<!-- agentls-disable-next-line AGT602 -->\n### S{i}\n# T{i}\n", BODY_ROOM)
    docs["suppressions"] = (HEAD + "\n---\n# Top\n" + body + "## \n", n)
    body, n = _fill(lambda i: "Some prompt text, a line of it.\n", BODY_ROOM)
    docs["body-lines"] = (HEAD + "\n---\n" + body + "## \n", n)
    return docs


def fastest(fn, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(text: str, rounds: int) -> dict[str, float]:
    ctx = Context(kind="agent", path=PATH)
    doc = Document(text, PATH, "agent")
    findings = lint(doc, ctx)
    out = {"lint": fastest(lambda: lint(Document(text, PATH, "agent"), ctx), rounds)}
    if "\n\n---\n" in text:  # the blank last line of the frontmatter: key completion
        at = text.index("\n\n---\n") + 1
    else:
        at = len(text) - 1  # the last `## ` heading
    out["complete"] = fastest(lambda: complete(doc, at, CompletionContext(kind="agent", path=PATH)), rounds)
    hctx = HoverContext(kind="agent", path=PATH, findings=findings)
    out["hover"] = fastest(lambda: hover(doc, text.index("description"), hctx), rounds)
    line = doc.index.line_of(doc.frontmatter.content.start) + 3 if doc.frontmatter else 0
    on_line = [f for f in findings if f.fix is not None and doc.index.line_of(f.span.start) == line]
    out["quickfix"] = fastest(lambda: [try_fix(doc, f.fix) for f in on_line], rounds)
    out["fix-all"] = fastest(lambda: fix_document(doc, ctx, findings=findings), max(1, rounds // 2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", action="append", help="a document name (repeatable)")
    parser.add_argument("--yaml-chars", type=int, default=MAX_FRONTMATTER_CHARS,
                        help="size the frontmatter documents to this instead of the limit")
    parser.add_argument("--document-chars", type=int, default=MAX_DOCUMENT_CHARS,
                        help="size the body documents to this instead of the limit")
    args = parser.parse_args()
    lint(Document(HEAD + "---\nx\n", PATH, "agent"), Context(kind="agent", path=PATH))  # one-time work
    ops = ("lint", "complete", "hover", "quickfix", "fix-all")
    print(f"{'document':15} {'chars':>9} {'n':>8} " + " ".join(f"{op:>9}" for op in ops) + "   (seconds)")
    for name, (text, n) in documents(args.yaml_chars, args.document_chars).items():
        if args.only and name not in args.only:
            continue
        times = measure(text, args.rounds)
        print(f"{name:15} {len(text):>9,} {n:>8,} " + " ".join(f"{times[op]:>9.3f}" for op in ops), flush=True)


if __name__ == "__main__":
    main()
