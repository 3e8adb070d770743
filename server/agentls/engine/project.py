"""The project: the files of a workspace parsed, indexed and linted, written once (issue 13).

:class:`Project` holds the documents open in the editor and the others as on disk, the
workspace index of both, and lints one file under the :class:`FileSettings` that
:func:`resolve` gives it; a whole check parses every file, adds each to the index, then
lints each with the index (:meth:`Project.check`, :func:`check_files`). ``agentls check``
(:func:`agentls.cli.main.check_paths`, serially or in the forked workers of
:mod:`agentls.cli.parallel`, which keeps its own scheduling), ``--fix``
(:func:`agentls.engine.fixes.fix_files`) and the language server's session
(:mod:`agentls.lsp.session`) use one. Every file is parsed through
:func:`agentls.rules.lint.parse` and every lint :class:`~agentls.rules.context.Context` is
built by :func:`agentls.rules.context.context_for`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from agentls.facts.targets import Location
from agentls.rules.context import Extensions, context_for
from agentls.rules.index import WorkspaceIndex
from agentls.rules.registry import Finding, RuleSettings

if TYPE_CHECKING:
    from agentls.core.document import Document
    from agentls.core.text import InvalidUTF8
    from agentls.rules.context import Context

# agentls.rules.lint (the document and YAML layers, every rule family) is imported where a
# file is parsed or linted: a run whose files the cache answers never needs it (issue 17).

READ_ERROR = "cannot read"  # how an E902 message for an unreadable file starts


def _log():
    import logging  # only when something fails

    return logging.getLogger(__name__)


@dataclass(frozen=True)
class FileSettings:
    """What the settings decide for one file (see :func:`resolve`)."""

    rules: RuleSettings | None  # None: every rule at its own severity
    extensions: Extensions
    excluded: bool  # the configuration file excludes the path: no findings at all
    stamp: object = None  # changes whenever the configuration file is reloaded (for cache keys)
    target_version: str | None = None  # `target-version`: None, the newest the facts know
    routing_threshold: float | None = None  # `routing-threshold`: None, the default
    format_tool_lists: str | None = None  # `format-tool-lists`: None, "keep"


def resolve(path: str | os.PathLike | None, *, configs=None, client=None) -> FileSettings:
    """The rules, known names and exclusion that apply to ``path``.

    One settings model (:mod:`agentls.engine.settings`), merged in layers: defaults <
    the closest configuration file < ``configs``' command-line layer (a
    :class:`agentls.engine.config.ConfigSet`: ``agentls check``, its workers and ``--fix``)
    or the editor's settings ``client`` (an :class:`agentls.engine.settings.Settings`:
    the language server, in the order its ``configurationPreference`` chooses; a broken
    file is logged and ignored, see :func:`agentls.engine.config.for_editor`).
    """
    from agentls.engine.config import for_editor

    if configs is not None:
        config = configs.for_path(path)
        settings, stamp = config.settings, config.stamp
    else:
        settings, stamp = for_editor(os.fspath(path) if path is not None else None, client)
    return FileSettings(settings.rules_for(path), settings.extensions, settings.excludes(path), stamp,
                        settings.target_version, settings.routing_threshold, settings.format_tool_lists)


Parsed = tuple["Document | None", "str | None"]  # a document, or why there is none


def parse_bytes(data: bytes, path: str | None = None, kind: str | None = None) -> "Document":
    """:func:`agentls.rules.lint.parse_bytes`, imported on the first file parsed (a run
    the cache answers never imports the document layers); every file on disk is parsed
    through this name (:func:`read_document`, :mod:`agentls.cli.cache`)."""
    from agentls.rules.lint import parse_bytes as parse

    return parse(data, path, kind)


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
    if settings.excluded:
        return []
    from agentls.rules.lint import lint

    return lint(doc, ctx, settings.rules)


def lint_document(doc: Document, path: str | os.PathLike, kind: str, settings: FileSettings,
                  index: WorkspaceIndex | None, *, located: str | os.PathLike | None = None) -> list[Finding]:
    """``doc``'s findings with these settings and this index; ``located``: the path
    whose location decides whether the file is a plugin's (default: ``path``)."""
    ctx = context_for(str(path), extensions=settings.extensions, workspace=index, kind=kind, located=located,
                      target_version=settings.target_version)
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


def parse_text(text: str, path: str, kind: str, previous: Document | None = None,
               unchanged: tuple[int, int] | None = None, invalid_utf8: InvalidUTF8 | None = None) -> Document:
    """An editor's text parsed, never raising (lone surrogates, which JSON can carry, are
    handled by the YAML layer itself). ``previous``: the last version, whose YAML and body
    scans may be reused; ``unchanged``: how much of its start and end the edits since
    left alone (see :class:`~agentls.core.document.Document`); ``invalid_utf8``: where the
    file on disk is not UTF-8, in this text."""
    from agentls.rules.lint import parse

    try:
        return parse(text, path, kind, previous=previous, unchanged=unchanged, invalid_utf8=invalid_utf8)
    except Exception:
        _log().exception("parsing %s failed; checking it as empty", path)
        return parse("", path, kind)


def writable(doc: Document, findings: list[Finding]) -> list[Finding]:
    """``findings`` without the fixes ``check --fix`` cannot write: it writes only files
    that are valid UTF-8 (their bytes are what the text says), so a file that is not has
    none, and none of its findings is reported or counted as fixable."""
    if doc.invalid_utf8 is None:
        return findings
    import dataclasses

    return [dataclasses.replace(f, fix=None) if f.fix is not None else f for f in findings]


SettingsFor = Callable[[Path], FileSettings]


class Project:
    """The files of one workspace as agentls sees them (issue 13): documents open in the
    editor and the others as on disk, the workspace index of both, and the findings of
    one file under the settings resolved for it.

    ``agentls check`` (:func:`agentls.cli.main.check_paths`, and its forked workers in
    :mod:`agentls.cli.parallel`), ``--fix`` (:func:`agentls.engine.fixes.fix_files`) and the
    language server's session (:mod:`agentls.lsp.session`, :mod:`agentls.lsp.scan`) all
    parse, index and lint through one.

    ``settings(path)``: the :class:`FileSettings` of each file (default: :func:`resolve`
    with the configuration files alone; see :meth:`for_check`). ``writable_fixes``: drop
    the fixes of files that are not UTF-8 (``check --fix`` cannot write those; see
    :func:`writable`). ``max_bytes``: larger files on disk are
    not read (the server's bound; the command line reads every file it is given).
    """

    def __init__(self, root: str | None = None, *, settings: SettingsFor | None = None,
                 writable_fixes: bool = False, max_bytes: int | None = None) -> None:
        self.root = root
        self.index = WorkspaceIndex(root)
        self.generation = 0  # bumped whenever what cross-file rules read changes
        self._settings = settings or (lambda path: resolve(path))
        self.writable_fixes = writable_fixes
        self.max_bytes = max_bytes
        self._open: dict[str, tuple[object, str]] = {}  # path -> (the editor's id for it, kind)

    @classmethod
    def for_check(cls, root: str, *, configs=None, rules: RuleSettings | None = None,
                  extensions: Extensions | None = None) -> "Project":
        """The project of one ``agentls check``: each file's settings from ``configs``
        (an :class:`agentls.engine.config.ConfigSet`), or else ``rules`` and ``extensions``
        for every file; only fixes it can write."""
        if configs is not None:
            def settings(path):
                return resolve(path, configs=configs)
        else:
            fixed = FileSettings(rules, extensions or Extensions(), False)

            def settings(path):
                return fixed
        return cls(root, settings=settings, writable_fixes=True)

    # -- settings and lint -----------------------------------------------------------------
    def settings_for(self, path: str | os.PathLike) -> FileSettings:
        return self._settings(path)

    def context(self, path: str | os.PathLike, kind: str, settings: FileSettings | None = None, *,
                indexed: bool = True) -> Context:
        """The lint context of the file at ``path`` with this project's index (``indexed``
        False: without it, the file on its own); its location, made absolute, says
        whether it is a plugin's."""
        settings = settings or self.settings_for(path)
        # A discovered kind (a Location) already says where the file sits.
        located = None if isinstance(kind, Location) else os.path.abspath(path)
        return context_for(str(path), extensions=settings.extensions, workspace=self.index if indexed else None,
                           kind=kind, located=located, target_version=settings.target_version)

    def lint(self, path: str | os.PathLike, kind: str, doc: Document,
             settings: FileSettings | None = None, ctx: Context | None = None) -> list[Finding]:
        """``doc``'s findings, the document of ``path``, under its settings (resolved
        unless given) and with this project's index; none when the settings exclude it."""
        settings = settings or self.settings_for(path)
        findings = lint_file(doc, ctx or self.context(path, kind, settings), settings)
        if self.writable_fixes and doc.invalid_utf8 is not None:
            findings = writable(doc, findings)
        return findings

    # -- reading ---------------------------------------------------------------------------
    def read(self, path: str | os.PathLike, kind: str) -> Parsed:
        """The file on disk parsed as ``kind``, or ``(None, why)``: never an exception."""
        if self.max_bytes is not None:
            try:
                if os.path.getsize(path) > self.max_bytes:
                    return None, f"larger than {self.max_bytes} bytes: not read"
            except OSError as exc:
                return None, f"{READ_ERROR}: {exc.strerror or exc}"
        return read_document(Path(path), kind)

    # -- a whole check ---------------------------------------------------------------------
    def check(self, files: list[tuple[Path, str]], parsed: Iterable[Parsed] | None = None,
              progress: Callable[[int, int], None] | None = None,
              ) -> list[tuple["Document | None", list[Finding], "str | None"]]:
        """Each file's ``(doc, findings, error)``, in order: every file parsed (unless
        ``parsed`` gives the documents), all indexed, then each linted (:func:`check_files`)."""
        if parsed is None:
            parsed = (self.read(path, kind) for path, kind in files)
        return check_files(files, parsed, self.index, self.lint, progress)

    # -- the index: the editor's documents and the disk ------------------------------------
    def update(self, path: str, doc: Document | None, kind: str | None) -> bool:
        """Index ``doc`` as the file at ``path`` (``None``: the file is gone); True, and the
        generation bumped, when what cross-file rules read changed."""
        before = self._facts_of(path)
        try:
            self.index.update(path, doc, kind)
        except Exception:
            _log().exception("indexing %s failed", path)
            self.index.remove(path)
        if self._facts_of(path) != before:
            self.generation += 1
            return True
        return False

    def _facts_of(self, path: str) -> tuple:
        agent = self.index.agent(path)
        skill = self.index.skill(path)
        # What cross-file rules read (the name and where it is); not the description,
        # or every keystroke in it would re-check all open documents.
        return (agent.name, agent.name_span, agent.name_line) if agent else (), skill

    def open(self, path: str, doc: Document, kind: str, editor_id: object = None) -> bool:
        """The editor's copy of ``path`` is what the workspace sees while it is open."""
        self._open[path] = (editor_id, kind)
        return self.update(path, doc, kind)

    def close(self, path: str, editor_id: object = None) -> bool:
        """The editor closed ``path`` (if ``editor_id`` still holds it): the file on disk is
        what the workspace sees again."""
        held = self._open.get(path)
        if held is None or (editor_id is not None and held[0] != editor_id):
            return False
        del self._open[path]
        return self.load(path, held[1])

    def is_open(self, path: str) -> bool:
        return path in self._open

    def editor_id(self, path: str) -> object:
        """The editor's id of the open document at ``path`` (``None``: not open)."""
        held = self._open.get(path)
        return held[0] if held is not None else None

    def open_paths(self) -> list[str]:
        return list(self._open)

    def load(self, path: str, kind: str | None) -> bool:
        """(Re)index the ``kind`` file ``path`` from disk, unless it is open (the editor's
        copy wins); True when cross-file facts changed. A file that cannot be read is
        dropped; a ``None`` kind (no agent file) is left alone."""
        if path in self._open or kind is None:
            return False
        doc, _why = self.read(path, kind)
        return self.update(path, doc, kind if doc is not None else None)

    def unload(self, path: str) -> bool:
        """``path`` went from disk: drop it from the index, unless it is open."""
        return path not in self._open and self.update(path, None, None)

    def unload_under(self, folder: str) -> bool:
        """A folder went (or left the workspace): drop what the index holds under it, except
        the open documents."""
        prefix = folder.rstrip(os.sep) + os.sep
        changed = False
        for gone in self.index.paths_under(prefix):
            changed |= self.unload(gone)
        return changed
