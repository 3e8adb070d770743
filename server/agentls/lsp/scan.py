"""The workspace on disk: the start-up scan, files read from disk into the index
(open documents shadow them), the disk's encoding of open files, and the client's
file watchers (servers whose client cannot watch poll: :mod:`agentls.lsp.watch`)."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from agentls.core.document import Document
from agentls.core.text import InvalidUTF8, LineIndex, decode_utf8
from agentls.engine.config import CONFIG_FILES, forget_config_lookups
from agentls.engine.discovery import discover
from agentls.facts.targets import classify
from agentls.lsp.handlers import norm_path
from agentls.lsp.session import safe_document

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer

log = logging.getLogger("agentls.lsp")

SCAN_WAIT = 2.0  # seconds a first publish waits for the start-up workspace scan
MAX_DISK_FILE = 8 * 1024 * 1024  # larger files on disk are not indexed
WATCH_ID = "agentls-watch-md"


def _under(path: str, folders: list[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def path_of_uri(uri: str) -> str | None:
    path = to_fs_path(uri)
    if path is None:
        return None
    return norm_path(path)


class DiskMirror:
    """What the index knows of files on disk (a mixin of the server, whose ``__init__``
    holds the state: ``index``, ``_disk_indexes``, ``_disk_invalid_utf8``, the scan
    counters)."""

    def read_disk_encoding(self, uri: str) -> None:
        """On open and save: is the file on disk UTF-8? Claude Code reads the disk's bytes,
        whatever the editor decoded them as (VS Code: U+FFFD; Neovim: Latin-1)."""
        td = self.text_document(uri)
        if td is None or not td.path:
            return
        path, kind = self._kind_of(td)
        if kind is None:
            return
        found = None
        try:
            if os.path.getsize(path) <= MAX_DISK_FILE:
                with open(path, "rb") as fh:
                    text, bad = decode_utf8(fh.read())
                if bad is not None:
                    found = (*LineIndex(text).position(bad.offset), bad)
        except OSError:
            pass  # not saved yet, or unreadable: nothing Claude Code could read either
        if self._disk_invalid_utf8.get(path) == found:
            return
        if found is None:
            self._disk_invalid_utf8.pop(path, None)
        else:
            self._disk_invalid_utf8[path] = found
        parsed = self._parsed.get(uri)
        if parsed is not None:  # a save keeps the version: check the same text again
            parsed.document.invalid_utf8 = self._invalid_utf8_in(path, parsed.document)
            parsed.findings = None

    def _invalid_utf8_in(self, path: str, document: Document) -> InvalidUTF8 | None:
        """The disk's first bad byte, placed at its line and column in the editor's text."""
        found = self._disk_invalid_utf8.get(path)
        if found is None:
            return None
        line, column, bad = found
        return InvalidUTF8(document.index.offset(line, column), bad.byte_offset, bad.byte, bad.count)

    def _index_update(self, path: str, document: Document | None, kind: str | None) -> bool:
        """Update the index; bump the generation (and re-check others) if facts changed."""
        before = self._facts_of(path)
        try:
            self.index.update(path, document, kind)
        except Exception:
            log.exception("indexing %s failed", path)
            self.index.remove(path)
        if self._facts_of(path) != before:
            self.index_generation += 1
            return True
        return False

    def _facts_of(self, path: str) -> tuple:
        agent = self.index.agent(path)
        skill = self.index.skill(path)
        # What cross-file rules read (the name and where it is); not the description,
        # or every keystroke in it would re-check all open documents.
        return (agent.name, agent.name_span, agent.name_line) if agent else (), skill

    def reload_unless_open(self, path: str) -> bool:
        """A file changed on disk: index it again, unless it is open (the editor's copy
        wins); True when cross-file facts changed."""
        return path not in self._open_paths and self._load_from_disk(path)

    def unindex_unless_open(self, path: str) -> bool:
        """A file went from disk: drop it from the index, unless it is open; True when
        cross-file facts changed."""
        return path not in self._open_paths and self._index_update(path, None, None)

    def _load_from_disk(self, path: str) -> bool:
        """(Re)index a file from disk; returns True when cross-file facts changed."""
        self._disk_indexes.pop(path, None)
        kind = classify(path)[0]
        if kind is None:
            return False
        try:
            if os.path.getsize(path) > MAX_DISK_FILE:
                return self._index_update(path, None, None)
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8", errors="replace")
        except OSError:
            return self._index_update(path, None, None)
        return self._index_update(path, safe_document(text, path, kind), kind)

    def _resolve_related(self, path: str) -> tuple[str, LineIndex] | None:
        path = norm_path(path)
        uri = self._open_paths.get(path)
        if uri is not None:
            parsed = self._parse(uri)
            if parsed is not None:
                return uri, parsed.document.index
        try:
            st = os.stat(path)
            stamp = (st.st_mtime_ns, st.st_size)
            cached = self._disk_indexes.get(path)
            if cached is None or cached[0] != stamp:
                if st.st_size > MAX_DISK_FILE:
                    return None
                with open(path, "rb") as fh:
                    text = fh.read().decode("utf-8", errors="replace")
                cached = (stamp, LineIndex(text))
                self._disk_indexes[path] = cached
            return from_fs_path(path) or path, cached[1]
        except OSError:
            return None

    # -- workspace scan -------------------------------------------------------------------
    def folders(self) -> list[str]:
        out: list[str] = []
        try:
            ws = self.workspace
        except RuntimeError:
            return out
        for folder in ws.folders.values():
            p = path_of_uri(folder.uri)
            if p and p not in out:
                out.append(p)
        if not out and ws.root_path:
            out.append(norm_path(ws.root_path))
        return out

    async def scan(self, folders: list[str] | None = None) -> int:
        """Index agent files under the workspace folders (open documents win)."""
        folders = self.folders() if folders is None else folders
        started = time.perf_counter()
        token = None
        caps = self.client_capabilities
        if folders and caps is not None and caps.window is not None and caps.window.work_done_progress:
            token = f"agentls-scan-{time.monotonic_ns()}"
            try:
                await asyncio.wait_for(self.work_done_progress.create_async(token), 5)
                self.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                    title="agentls: indexing agent files", cancellable=False, percentage=0))
            except Exception as exc:  # the client refused or never answered
                log.info("no progress reporting: %s", exc)
                token = None
        count = 0
        changed = False
        try:
            found: list[tuple[str, str]] = []
            for folder in folders:
                try:
                    found.extend((norm_path(str(p)), kind) for p, kind in discover([folder]))
                except Exception:
                    log.exception("cannot scan %s", folder)
                await asyncio.sleep(0)
            found = list(dict.fromkeys(found))  # nested workspace folders: each file once
            self.scanned_paths.extend(path for path, _kind in found)
            total = len(found)
            for i, (path, _kind) in enumerate(found):
                if path not in self._open_paths:  # an open document is indexed from the editor's copy
                    changed |= self._load_from_disk(path)
                if i % 25 == 24:
                    if token is not None:
                        self.work_done_progress.report(token, types.WorkDoneProgressReport(
                            message=f"{i + 1}/{total} files", percentage=int(100 * (i + 1) / max(total, 1))))
                    await asyncio.sleep(0)
            # What the index holds for these folders: the files on disk and the open
            # documents (an unsaved one too), each once.
            count = len({path for path, _kind in found} | {path for path in self._open_paths if _under(path, folders)})
        finally:
            if token is not None:
                self.work_done_progress.end(token, types.WorkDoneProgressEnd(message=f"{count} agent files indexed"))
        self.scanned_files += count
        self.scan_seconds = time.perf_counter() - started
        log.info("indexed %d agent files in %.3f s", count, self.scan_seconds)
        if changed:
            self.index_generation += 1
        return count

    def files_changed(self, changes: list[types.FileEvent]) -> bool:
        """``workspace/didChangeWatchedFiles``: re-read what changed on disk (open documents
        keep the editor's copy); True when cross-file facts or a configuration file changed."""
        changed = False
        for event in changes:
            path = path_of_uri(event.uri)
            if path is not None and os.path.basename(path) in CONFIG_FILES:
                forget_config_lookups()  # a configuration file appeared, changed or went
                changed = True  # findings() reloads the configuration by its mtime
                continue
            if path is None or path in self._open_paths:
                continue  # the editor's copy is authoritative while open
            self._disk_indexes.pop(path, None)
            if event.type == types.FileChangeType.Deleted:
                if classify(path)[0] is not None:
                    changed |= self._index_update(path, None, None)
                else:  # a folder may have gone: drop everything under it
                    prefix = path.rstrip(os.sep) + os.sep
                    for gone in self.index.paths_under(prefix):
                        changed |= self._index_update(gone, None, None)
            else:
                changed |= self._load_from_disk(path)
        return changed

    async def folders_changed(self, event: types.WorkspaceFoldersChangeEvent) -> bool:
        """``workspace/didChangeWorkspaceFolders``: forget the removed folders' files (open
        documents stay), scan the added ones; True when the index changed."""
        changed = False
        for folder in event.removed:
            root = path_of_uri(folder.uri)
            if not root:
                continue
            prefix = root.rstrip(os.sep) + os.sep
            if self.poller is not None:
                self.poller.remove(root)
            for gone in self.index.paths_under(prefix):
                if gone not in self._open_paths:
                    changed |= self._index_update(gone, None, None)
        added = [p for p in (path_of_uri(f.uri) for f in event.added) if p]
        if added:
            before = len(self.scanned_paths)
            await self.scan(added)
            changed = True
            if self.poller is not None:  # the server polls the disk: the new folders too
                self.poller.add(added, self.scanned_paths[before:])
        return changed

    async def wait_for_scan(self) -> None:
        if not self.scan_done.is_set():
            try:
                await asyncio.wait_for(self.scan_done.wait(), SCAN_WAIT)
            except asyncio.TimeoutError:
                pass


async def register_watchers(ls: AgentLanguageServer) -> bool:
    """Ask the client to watch agent and configuration files; False when it cannot (the
    server then polls the disk itself: :mod:`agentls.lsp.watch`)."""
    caps = ls.client_capabilities
    ws = caps.workspace if caps is not None else None
    watched = ws.did_change_watched_files if ws is not None else None
    if watched is None or not watched.dynamic_registration:
        return False
    options = types.DidChangeWatchedFilesRegistrationOptions(watchers=[
        types.FileSystemWatcher(glob_pattern="**/*.md"),
        types.FileSystemWatcher(glob_pattern="**/{" + ",".join(CONFIG_FILES) + "}"),
        types.FileSystemWatcher(glob_pattern="**/", kind=types.WatchKind.Delete),
    ])
    try:
        await asyncio.wait_for(ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id=WATCH_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=options)])), 5)
    except Exception as exc:
        log.info("could not register file watchers: %s", exc)
        return False
    return True
