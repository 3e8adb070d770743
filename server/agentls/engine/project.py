"""A check of many files, written once: parse every file, add each to the workspace
index, then lint each with the index (issue 13).

``agentls check`` (:func:`agentls.cli.main.check_paths`, serially here and in forked workers
through :mod:`agentls.cli.parallel`, which keeps its own scheduling), ``--fix``
(:func:`agentls.engine.fixes.fix_files`) and the language server call these functions; the
one place a lint :class:`~agentls.rules.context.Context` is built is
:func:`agentls.rules.context.context_for`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from agentls.core.document import Document
from agentls.rules.context import Context, Extensions, context_for
from agentls.rules.index import WorkspaceIndex
from agentls.rules.lint import lint, parse_bytes
from agentls.rules.registry import Finding, RuleSettings

READ_ERROR = "cannot read"  # how an E902 message for an unreadable file starts

@dataclass(frozen=True)
class FileSettings:
    """What the settings decide for one file (see :func:`resolve`)."""

    rules: RuleSettings | None  # None: every rule at its own severity
    extensions: Extensions
    excluded: bool  # the configuration file excludes the path: no findings at all
    stamp: object = None  # changes whenever the configuration file is reloaded (for cache keys)


def resolve(path: str | os.PathLike | None, *, configs=None, client=None) -> FileSettings:
    """The rules, known names and exclusion that apply to ``path``.

    ``configs`` (:class:`agentls.engine.config.ConfigSet`, the command line's: its ``--config``
    and ``--select``/``--ignore`` layers) or, without it, the closest configuration file
    with the editor's settings ``client`` on top (the language server; a broken file is
    logged and ignored: see :func:`agentls.engine.config.server_settings_for`).
    """
    if configs is not None:
        rules, extensions = configs.settings_for(path)
        return FileSettings(rules, extensions, configs.excluded(path), id(configs.for_path(path)))
    from agentls.engine.config import server_settings_for

    stamp, rules, extensions, excluded = server_settings_for(os.fspath(path) if path is not None else None, client)
    return FileSettings(rules, extensions, excluded, stamp)


Parsed = tuple["Document | None", "str | None"]  # a document, or why there is none


def read_document(path: Path, kind: str) -> Parsed:
    """The file on disk parsed as ``kind``, or ``(None, why)``: never an exception."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"{READ_ERROR}: {exc.strerror or exc}"
    try:
        return parse_bytes(data, str(path), kind), None
    except Exception as exc:  # a parser bug must cost one file, not the run
        return None, f"agentls failed to parse this file (a bug; please report it): {type(exc).__name__}: {exc}"


def lint_file(doc: Document, ctx: Context, settings: FileSettings) -> list[Finding]:
    """``doc``'s findings in ``ctx`` under ``settings``: none when the configuration excludes it."""
    return [] if settings.excluded else lint(doc, ctx, settings.rules)


def lint_document(doc: Document, path: str | os.PathLike, kind: str, settings: FileSettings,
                  index: WorkspaceIndex | None, *, located: str | os.PathLike | None = None) -> list[Finding]:
    """``doc``'s findings with these settings and this index; ``located``: the path
    whose location decides whether the file is a plugin's (default: ``path``)."""
    ctx = context_for(str(path), extensions=settings.extensions, workspace=index, kind=kind, located=located)
    return lint_file(doc, ctx, settings)


def check_files(files: list[tuple[Path, str]], parsed: Iterable[Parsed], index: WorkspaceIndex,
                lint_one: Callable[[Path, str, Document], list[Finding]],
                progress: Callable[[int, int], None] | None = None,
                ) -> list[tuple["Document | None", list[Finding], "str | None"]]:
    """Each file's ``(doc, findings, error)``, in order.

    ``parsed`` gives each file's document (or why there is none), in ``files``' order;
    all are parsed before the first is added to ``index``, and all are in it before the
    first is linted (``lint_one(path, kind, doc)``), so a file's findings never depend
    on the order. ``progress(done, total)`` is called after each lint.
    """
    parsed = list(parsed)
    for (path, kind), (doc, _error) in zip(files, parsed):
        if doc is not None:
            index.update(str(path), doc, kind)
    out = []
    for (path, kind), (doc, error) in zip(files, parsed):
        out.append((doc, lint_one(path, kind, doc) if doc is not None else [], error))
        if progress is not None:
            progress(len(out), len(files))
    return out
