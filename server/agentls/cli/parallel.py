"""``agentls check`` on several cores: forked workers, one workspace index.

A check is two passes per file, parse then lint, and the lint of any file may ask the
workspace index about every other file (duplicate names, skills). So the files are
dealt out round-robin to N processes (this one included); each parses its share and
sends back only its index entries, every process gets the merged index, and each
lints its share and sends back findings, with the lines and columns (and the line
texts) the reports need for them, not the files' texts: sending those cost more than
linting them. Documents never cross a process boundary; the result equals a serial
run's, which the tests check.

Workers are forked so that they start with everything imported and the run's
configuration loaded. Fork is used on Linux only (macOS forks poorly once system
frameworks are loaded, Windows cannot); elsewhere, and for small runs, the check is
serial. Any failure in a worker makes the whole check fall back to serial: never a
lost file, never a hang.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from pathlib import Path

    from agentls.core.document import Document
    from agentls.engine.project import Project
    from agentls.rules.registry import Finding


# Below this many files, forking and the exchange cost more than they save.
MIN_FILES = 400
# Each worker should get at least this many files.
MIN_SHARE = 200
MAX_WORKERS = 8


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def workers_for(jobs: int, files: int) -> int:
    """How many processes to use for ``files`` files when the user asked for ``jobs``.

    ``jobs`` 0 is automatic: one per core, for runs of at least ``MIN_FILES`` files.
    """
    if jobs == 1 or (jobs == 0 and files < MIN_FILES):
        return 1  # decided before importing multiprocessing (~5 ms of a small run's start)
    import multiprocessing

    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if jobs == 0:
        jobs = min(cores(), MAX_WORKERS, files // MIN_SHARE)
    return max(1, min(jobs, files))


Outcome = tuple["Document | Source | None", "list[Finding]", "str | None"]


def check(project: "Project", files: list[tuple["Path", str]], workers: int,
          progress: Callable[[int, int], None] | None = None) -> list[Outcome] | None:
    """Each file's ``(doc, findings, error)`` in order, read and linted by ``project``
    (the check's :class:`~agentls.engine.project.Project`), or ``None`` if a worker failed."""
    import multiprocessing

    shares = [list(range(k, len(files), workers)) for k in range(workers)]
    context = multiprocessing.get_context("fork")
    for stream in (sys.stdout, sys.stderr):  # a forked child must not write our buffers again
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    # Objects alive now are shared with the workers copy-on-write; the collector would
    # write to every one of them (and so copy its page) on each full collection.
    gc.freeze()
    children = []
    try:
        for share in shares[1:]:
            ours, theirs = context.Pipe()
            proc = context.Process(target=_worker, args=(project, files, share, theirs), daemon=True)
            proc.start()
            theirs.close()
            children.append((proc, ours, share))

        parsed = _parse(project, files, shares[0])
        shared = [_entries(project, files, shares[0], parsed)]  # each process's entries
        for _, conn, _ in children:
            shared.append(_expect(conn.recv(), "entries"))
        for entries in shared:
            for path, entry in entries:
                project.index.add(path, entry)
        # Each worker has its own entries: it is sent only the others' (half the pickling
        # with two processes).
        for k, (_, conn, _) in enumerate(children, 1):
            conn.send([e for j, entries in enumerate(shared) if j != k for e in entries])

        out: list[Outcome | None] = [None] * len(files)
        total = len(files)
        for n, i in enumerate(shares[0], 1):
            path, kind = files[i]
            doc, error = parsed[i]
            out[i] = (doc, project.lint(path, kind, doc) if doc is not None else [], error)
            if progress is not None:
                progress(min(total - 1, n * workers), total)
        for _, conn, _ in children:
            for i, findings, positions, error in _expect(conn.recv(), "results"):
                path, kind = files[i]
                doc = Source(str(path), kind, positions) if positions is not None else None
                out[i] = (doc, findings, error)
        if progress is not None:
            progress(total, total)
        if any(o is None for o in out):
            return None
        return out  # type: ignore[return-value]
    except (EOFError, OSError, _WorkerFailed) as exc:
        # The report stays complete (the caller checks serially); say why on stderr.
        import logging

        logging.getLogger("agentls.cli.parallel").warning(
            "a worker process failed, checking in one process instead: %s", exc if str(exc) else type(exc).__name__)
        return None
    finally:
        gc.unfreeze()
        for proc, conn, _ in children:
            conn.close()
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()


class _WorkerFailed(Exception):
    pass


def _expect(message, what: str):
    kind, payload = message
    if kind != what:
        raise _WorkerFailed(payload)
    return payload


def _parse(project: "Project", files, share) -> dict[int, tuple["Document | None", str | None]]:
    return {i: project.read(*files[i]) for i in share}


def _entries(project: "Project", files, share, parsed) -> list:
    out = []
    for i in share:
        doc = parsed[i][0]
        if doc is not None:
            path, kind = files[i]
            out.append((str(path), project.index.entry_for(str(path), doc, kind)))
    return out


def positions_of(doc: "Document", findings: "list[Finding]") -> tuple[dict, dict]:
    """Lines and columns of every offset the reports use, and the text of each finding's line."""
    offsets = set()
    for f in findings:
        offsets.add(f.span.start)
        offsets.add(f.span.end)
        if f.fix is not None:
            for edit in f.fix.edits:
                offsets.add(edit.span.start)
                offsets.add(edit.span.end)
    index = doc.index
    positions = {o: index.position(o) for o in offsets}
    lines = {positions[f.span.start][0] for f in findings}
    return positions, {line: index.line_text(line) for line in lines}


class Positions:
    """A file's line table, reduced to what its findings' reports use.

    Anything else (a formatter asking for another offset) reads the file again and
    answers from a full :class:`~agentls.core.text.LineIndex`.
    """

    __slots__ = ("_path", "_positions", "_lines", "_full")

    def __init__(self, path: str, positions: dict, lines: dict) -> None:
        self._path, self._positions, self._lines, self._full = path, positions, lines, None

    def position(self, offset: int) -> tuple[int, int]:
        hit = self._positions.get(offset)
        return hit if hit is not None else self.full.position(offset)

    def line_of(self, offset: int) -> int:
        return self.position(offset)[0]

    def line_text(self, line: int) -> str:
        hit = self._lines.get(line)
        return hit if hit is not None else self.full.line_text(line)

    @property
    def full(self):
        if self._full is None:
            from pathlib import Path

            from agentls.cli.reports import read_text
            from agentls.core.text import LineIndex

            try:
                text = read_text(Path(self._path))
            except OSError:
                text = ""
            self._full = LineIndex(text)
        return self._full


class Source:
    """Stands for the :class:`~agentls.core.document.Document` of a file checked in a worker."""

    __slots__ = ("path", "kind", "index")

    def __init__(self, path: str, kind: str, positions: tuple[dict, dict]) -> None:
        self.path, self.kind = path, kind
        self.index = Positions(path, *positions)

    @property
    def text(self) -> str:
        return self.index.full.text


def _worker(project: "Project", files, share: list[int], conn) -> None:
    """A forked worker: parse the share, trade index entries, lint the share."""
    try:
        parsed = _parse(project, files, share)
        own = _entries(project, files, share, parsed)
        conn.send(("entries", own))
        for path, entry in own + conn.recv():  # its own, then every other process's
            project.index.add(path, entry)
        results = []
        for i in share:
            path, kind = files[i]
            doc, error = parsed[i]
            findings = project.lint(path, kind, doc) if doc is not None else []
            results.append((i, findings, positions_of(doc, findings) if doc is not None else None, error))
        conn.send(("results", results))
    except BaseException:  # reported to the parent, which then checks serially
        try:
            import traceback  # only for a worker that failed

            conn.send(("error", traceback.format_exc()))
        except Exception:
            pass
    finally:
        conn.close()
        os._exit(0)  # no atexit handlers, no second flush of the parent's buffers
