"""The open documents: each parsed once per version into the server's
:class:`~agentls.engine.project.Project` (the editor's copy shadows the disk's), with the
settings, findings and diagnostics of each, and the position conversions (the server's
API for feature modules; see :mod:`agentls.lsp.server`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import TextDocument

from agentls.core.document import Document
from agentls.core.text import LineIndex, Span
from agentls.engine.discovery import locate_file
from agentls.engine.project import FileSettings, Project, parse_text, resolve
from agentls.lsp import convert
from agentls.lsp.handlers import norm_path
from agentls.rules.context import Context
from agentls.rules.index import WorkspaceIndex
from agentls.rules.registry import Finding

log = logging.getLogger("agentls.lsp")

MAX_DIAGNOSTICS = 1000  # per document: more helps no one and costs seconds to send
MAX_DISK_FILE = 8 * 1024 * 1024  # larger files on disk are not indexed


@dataclass
class OpenDocument:
    """One version of an open agent document, parsed, and what was computed for it."""

    version: int | None
    source: str
    document: Document
    path: str
    kind: str
    context: Context | None = None  # with the settings' extensions: see Session.file_settings
    settings: FileSettings | None = None
    settings_key: tuple | None = None  # (editor settings generation, configuration stamp)
    findings_key: tuple | None = None
    findings: list[Finding] | None = None


class Session:
    """The open documents, parsed once per version (a mixin of the server, which gives it
    ``settings``, ``settings_generation``, ``diagnostics`` and the disk's encoding,
    :meth:`agentls.lsp.scan.DiskMirror.invalid_utf8_at`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = self._new_project(None)
        self._open: dict[str, OpenDocument] = {}  # uri -> its last parse
        self._line_indexes: dict[str, LineIndex] = {}
        # uri -> (text at the last parse, unchanged prefix, unchanged suffix) since then
        self._edits: dict[str, tuple[str, int, int]] = {}

    def _new_project(self, root: str | None) -> Project:
        return Project(root, settings=lambda path: resolve(path, client=self.settings), max_bytes=MAX_DISK_FILE)

    def start_project(self, root: str | None) -> None:
        """At ``initialize``: the workspace's project, rooted at its first folder."""
        self.project = self._new_project(root)

    @property
    def index(self) -> WorkspaceIndex:
        return self.project.index

    @property
    def index_generation(self) -> int:
        return self.project.generation

    # -- positions ----------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        try:
            return convert.encoding_name(self.workspace.position_encoding)
        except RuntimeError:  # not initialized yet
            return "utf-16"

    def to_range(self, doc: Document, span: Span) -> types.Range:
        return convert.to_range(doc.index, span, self.encoding)

    def offset_at(self, doc: Document, pos: types.Position) -> int:
        return convert.offset_at(doc.index, pos, self.encoding)

    def line_index(self, uri: str, text: str) -> LineIndex:
        """The line table of ``text``, the open document's current text (kept per URI)."""
        idx = self._line_indexes.get(uri)
        if idx is None or idx.text is not text:
            parsed = self._open.get(uri)
            idx = parsed.document.index if parsed is not None and parsed.source is text else LineIndex(text)
            self._line_indexes[uri] = idx
        return idx

    # -- edits since the last parse (document sync records them: agentls.lsp.sync) ----------
    def edits_since_parse(self, uri: str, text: str) -> tuple[str, int, int]:
        """``(text at the last parse, unchanged prefix, unchanged suffix)``; nothing
        changed yet: ``(text, len, len)``."""
        return self._edits.get(uri) or (text, len(text), len(text))

    def record_edits(self, uri: str, base: str, prefix: int, suffix: int) -> None:
        self._edits[uri] = (base, prefix, suffix)

    def drop_edits(self, uri: str) -> None:
        self._edits.pop(uri, None)

    # -- the open documents ---------------------------------------------------------------
    def text_document(self, uri: str) -> TextDocument | None:
        """The open document for ``uri`` (``None`` if the client never opened it)."""
        try:
            return self.workspace.text_documents.get(unquote(uri))
        except RuntimeError:
            return None

    def version_of(self, uri: str) -> int | None:
        td = self.text_document(uri)
        return td.version if td is not None else None

    def uri_of_path(self, path: str) -> str | None:
        """The URI of the open agent document at ``path`` (``None``: not open)."""
        return self.project.editor_id(path)  # type: ignore[return-value]

    def agent_kind(self, td: TextDocument) -> tuple[str, str | None]:
        """``(path, kind)`` of an open document; the kind is ``None`` for a file that is no
        agent, skill or command by its location (a README)."""
        path = norm_path(td.path) if td.path else td.uri
        return path, locate_file(path)  # its location, else the configuration's include

    def open_agent_uris(self) -> list[str]:
        try:
            docs = list(self.workspace.text_documents.values())
        except RuntimeError:
            return []
        return [td.uri for td in docs if self.agent_kind(td)[1] is not None]

    def parsed(self, uri: str) -> OpenDocument | None:
        """The open document's current version, parsed (once per version) and indexed in
        the project; ``None`` when it is not open or no agent file."""
        td = self.text_document(uri)
        if td is None:
            return None
        path, kind = self.agent_kind(td)
        if kind is None:
            return None
        source = td.source
        parsed = self._open.get(uri)
        if parsed is not None and parsed.version == td.version and parsed.source is source:
            return parsed
        previous = parsed.document if parsed is not None and parsed.path == path else None
        pending = self._edits.pop(uri, None)
        unchanged = None
        if previous is not None and pending is not None and pending[0] is parsed.source:
            unchanged = pending[1:]
        invalid = self.invalid_utf8_at(path, source)
        document = parse_text(source, path, kind, previous, unchanged, invalid)
        parsed = OpenDocument(td.version, source, document, path, kind)
        self._open[uri] = parsed
        if self.project.open(path, document, kind, uri):
            self.diagnostics.schedule_refresh()  # e.g. a duplicate name appeared or went
        return parsed

    def reparse(self, uri: str) -> None:
        """Parse the open document again at its next use (its disk's encoding changed: a
        save keeps the version)."""
        self._open.pop(uri, None)

    def forget(self, uri: str) -> None:
        """The document closed: the file on disk is what the workspace sees again."""
        parsed = self._open.pop(uri, None)
        self._line_indexes.pop(uri, None)
        self._edits.pop(uri, None)
        if parsed is not None and self.project.close(parsed.path, uri):
            self.diagnostics.schedule_refresh()

    # -- settings and findings ------------------------------------------------------------
    def get_document(self, uri: str) -> tuple[TextDocument, Document, Context] | None:
        parsed = self.parsed(uri)
        if parsed is None:
            return None
        self._settle(parsed)
        return self.text_document(uri), parsed.document, parsed.context  # type: ignore[return-value]

    def file_settings(self, uri: str) -> FileSettings | None:
        parsed = self.parsed(uri)
        return self._settle(parsed) if parsed is not None else None

    def _settle(self, parsed: OpenDocument) -> FileSettings:
        """The document's settings (the configuration file underneath, the editor's
        settings on top: :func:`agentls.engine.project.resolve`), and its context carrying
        their extensions; ``stamp`` changes when the file is reloaded."""
        resolved = self.project.settings_for(parsed.path)
        key = (self.settings_generation, resolved.stamp)
        if (parsed.settings is None or parsed.settings_key != key or parsed.context is None
                or parsed.context.workspace is not self.project.index):
            parsed.settings = resolved
            parsed.settings_key = key
            parsed.context = self.project.context(parsed.path, parsed.kind, resolved)
        return parsed.settings

    def findings(self, uri: str) -> list[Finding] | None:
        parsed = self.parsed(uri)
        if parsed is None:
            return None
        settings = self._settle(parsed)
        key = (parsed.version, id(parsed.source), self.project.generation, parsed.settings_key)
        if parsed.findings_key != key or parsed.findings is None:
            try:
                parsed.findings = self.project.lint(parsed.path, parsed.kind, parsed.document, settings,
                                                    parsed.context)
            except Exception:
                log.exception("linting %s failed", uri)
                parsed.findings = []
            parsed.findings_key = key
        return parsed.findings

    def diagnostics_for(self, uri: str) -> tuple[int | None, list[types.Diagnostic]] | None:
        """``(version, diagnostics)`` for an open agent document, else ``None``."""
        found = self.findings(uri)
        if found is None:
            return None
        parsed = self._open[uri]
        encoding = self.encoding
        diags = []
        if len(found) > MAX_DIAGNOSTICS:
            log.info("%s: %d findings, showing the first %d", uri, len(found), MAX_DIAGNOSTICS)
            found = found[:MAX_DIAGNOSTICS]
        for f in found:
            try:
                diags.append(convert.to_diagnostic(f, parsed.document.index, encoding, self.related_position))
            except Exception:
                log.exception("cannot convert finding %s in %s", f.code, uri)
        return parsed.version, diags
