"""All findings on ``tests/data/corpus``, one per line, for the regression golden.

Regenerate after an intended behaviour change, and review the diff:

    python tests/golden/regen.py
    # or: AGENTLS_UPDATE_GOLDEN=1 python -m pytest tests/golden
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "data" / "corpus"
GOLDEN = Path(__file__).resolve().parent / "corpus_findings.txt"
HEADER = ("# agentls findings on tests/data/corpus: path:line:col: CODE severity message\n"
          "# Regenerate with `python tests/golden/regen.py` and review the diff.\n")


def render() -> str:
    from agentls.cli.main import check_paths

    lines = []
    files = 0
    for result in check_paths([str(CORPUS)], root=str(CORPUS)):
        files += 1
        path = Path(result.path).resolve().relative_to(CORPUS).as_posix()
        if result.error:
            lines.append(f"{path}:1:1: E902 error {result.error}")
            continue
        for f in result.findings:
            line, col = result.doc.index.position(f.span.start)
            message = f.message.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
            lines.append(f"{path}:{line + 1}:{col + 1}: {f.code} {f.severity.label} {message}")
    lines.sort(key=_key)
    return HEADER + f"# {files} files, {len(lines)} findings\n" + "".join(x + "\n" for x in lines)


def _key(line: str):
    path, ln, col, rest = line.split(":", 3)
    return path, int(ln), int(col), rest


def write() -> Path:
    GOLDEN.write_text(render(), encoding="utf-8", newline="\n")
    return GOLDEN
