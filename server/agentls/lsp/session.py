"""Per-document state of the open documents: the parse cache, the settings and
findings of each, and the position conversions (the server's API for feature modules;
see :mod:`agentls.lsp.server`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import TextDocument

from agentls.core.document import Document
from agentls.core.text import LineIndex, Span
from agentls.engine.project import FileSettings, lint_file, resolve
from agentls.facts.targets import classify
from agentls.lsp import convert
from agentls.lsp.handlers import norm_path
from agentls.rules.lint import Context, context_for, parse
from agentls.rules.registry import Finding

log = logging.getLogger("agentls.lsp")

MAX_DIAGNOSTICS = 1000  # per document: more helps no one and costs seconds to send


def safe_document(text: str, path: str, kind: str, previous: Document | None = None,
                  unchanged: tuple[int, int] | None = None) -> Document:
    """Parse, never raising (lone surrogates, which JSON can carry, are handled by the
    YAML layer itself). ``previous``: the last version, whose YAML and body scans may be
    reused; ``unchanged``: how much of its start and end the edits since left alone."""
    try:
        return parse(text, path, kind, previous=previous, unchanged=unchanged)
    except Exception:
        log.exception("parsing %s failed; checking it as empty", path)
        return parse("", path, kind)


@dataclass
class _Parsed:
    version: int | None
    source: str
    document: Document
    context: Context
    findings_key: tuple | None = None
    findings: list[Finding] | None = None
    settings: FileSettings | None = None
    settings_key: tuple | None = None  # (editor settings generation, configuration stamp)


class Session:
    """The open documents, parsed once per version (a mixin of the server, whose
    ``__init__`` holds the state: ``_parsed``, ``_line_indexes``, ``_unchanged``,
    ``_open_paths``)."""

    # -- facts for feature modules --------------------------------------------------------
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
        return self._open_paths.get(path)

    def get_document(self, uri: str) -> tuple[TextDocument, Document, Context] | None:
        parsed = self._parse(uri)
        if parsed is None:
            return None
        self._resolve(parsed)
        return self.text_document(uri), parsed.document, parsed.context  # type: ignore[return-value]

    def file_settings(self, uri: str) -> FileSettings | None:
        parsed = self._parse(uri)
        return self._resolve(parsed) if parsed is not None else None

    def _resolve(self, parsed: _Parsed) -> FileSettings:
        """The document's settings, and its context carrying their facts: the configuration
        file (agentls.engine.config) underneath, the editor's settings on top. ``stamp`` changes
        when the file is reloaded."""
        resolved = resolve(parsed.context.path, client=self.settings)
        key = (self.settings_generation, resolved.stamp)
        if parsed.settings is None or parsed.settings_key != key or parsed.context.workspace is not self.index:
            parsed.settings = resolved
            parsed.settings_key = key
            parsed.context = context_for(parsed.context.path, extensions=resolved.extensions, workspace=self.index,
                                         kind=parsed.context.kind)
        return parsed.settings

    def findings(self, uri: str) -> list[Finding] | None:
        parsed = self._parse(uri)
        if parsed is None:
            return None
        settings = self._resolve(parsed)
        key = (parsed.version, id(parsed.source), self.index_generation, parsed.settings_key)
        if parsed.findings_key != key or parsed.findings is None:
            try:
                parsed.findings = lint_file(parsed.document, parsed.context, settings)
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
        parsed = self._parsed[uri]
        encoding = self.encoding
        diags = []
        if len(found) > MAX_DIAGNOSTICS:
            log.info("%s: %d findings, showing the first %d", uri, len(found), MAX_DIAGNOSTICS)
            found = found[:MAX_DIAGNOSTICS]
        for f in found:
            try:
                diags.append(convert.to_diagnostic(f, parsed.document.index, encoding, self._resolve_related))
            except Exception:
                log.exception("cannot convert finding %s in %s", f.code, uri)
        return parsed.version, diags

    def open_agent_uris(self) -> list[str]:
        try:
            docs = list(self.workspace.text_documents.values())
        except RuntimeError:
            return []
        return [td.uri for td in docs if self._kind_of(td)[1] is not None]

    # -- parsing and the index ------------------------------------------------------------
    def _kind_of(self, td: TextDocument) -> tuple[str, str | None]:
        path = norm_path(td.path) if td.path else td.uri
        return path, classify(path)[0]

    def _line_index(self, uri: str, text: str) -> LineIndex:
        idx = self._line_indexes.get(uri)
        if idx is None or idx.text is not text:
            parsed = self._parsed.get(uri)
            if parsed is not None and parsed.source is text:
                idx = parsed.document.index
            else:
                idx = LineIndex(text)
            self._line_indexes[uri] = idx
        return idx

    def _parse(self, uri: str) -> _Parsed | None:
        td = self.text_document(uri)
        if td is None:
            return None
        path, kind = self._kind_of(td)
        if kind is None:
            return None
        source = td.source
        parsed = self._parsed.get(uri)
        if parsed is not None and parsed.version == td.version and parsed.source is source:
            return parsed
        previous = parsed.document if parsed is not None and parsed.document.path == path else None
        pending = self._unchanged.pop(uri, None)
        unchanged = None
        if previous is not None and pending is not None and pending[0] is parsed.source:
            unchanged = pending[1:]
        document = safe_document(source, path, kind, previous, unchanged)
        document.invalid_utf8 = self._invalid_utf8_in(path, document)
        ctx = context_for(path, workspace=self.index, kind=kind)  # facts: see _resolve
        parsed = _Parsed(td.version, source, document, ctx)
        self._parsed[uri] = parsed
        self._open_paths[path] = uri
        if self._index_update(path, document, kind):
            self.diagnostics.schedule_refresh()  # e.g. a duplicate name appeared or went
        return parsed

    def _forget(self, uri: str) -> None:
        parsed = self._parsed.pop(uri, None)
        self._line_indexes.pop(uri, None)
        if parsed is None:
            return
        path = parsed.context.path
        if path and self._open_paths.get(path) == uri:
            del self._open_paths[path]
            # The file on disk is what the workspace sees again.
            if self._load_from_disk(path):
                self.diagnostics.schedule_refresh()
