"""The workspace on disk: the start-up scan, files read from disk into the project's index
(open documents shadow them), the disk's encoding of open files, the client's file
watchers and their notifications (servers whose client cannot watch poll:
:mod:`agentls.lsp.watch`)."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from agentls.core.text import InvalidUTF8, LineIndex, decode_utf8
from agentls.engine.config import CONFIG_FILES, forget_config_lookups
from agentls.engine.discovery import configured, discover, locate_file
from agentls.facts.targets import forget as forget_manifests
from agentls.lsp.handlers import guarded, norm_path
from agentls.lsp.session import MAX_DISK_FILE

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer

log = logging.getLogger("agentls.lsp")

SCAN_WAIT = 2.0  # seconds a first publish waits for the start-up workspace scan
WATCH_ID = "agentls-watch-md"


def _under(path: str, folders: list[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def path_of_uri(uri: str) -> str | None:
    path = to_fs_path(uri)
    if path is None:
        return None
    return norm_path(path)


def _read_disk(path: str) -> tuple[str, InvalidUTF8 | None] | None:
    """The file's text as Claude Code reads it (see :func:`decode_utf8`); ``None`` when it
    is too large or cannot be read."""
    try:
        if os.path.getsize(path) > MAX_DISK_FILE:
            return None
        with open(path, "rb") as fh:
            return decode_utf8(fh.read())
    except OSError:
        return None


class DiskMirror:
    """What the project knows of files on disk (a mixin of the server, with
    :class:`agentls.lsp.session.Session`, whose ``project`` it feeds)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._disk_indexes: dict[str, tuple[tuple[int, int], LineIndex]] = {}
        # path -> (line, column, first bad byte) of an open document whose file on disk is
        # not UTF-8 (read on open and save: the editor sends text it decoded itself)
        self._disk_invalid_utf8: dict[str, tuple[int, int, InvalidUTF8]] = {}
        self.scan_done = asyncio.Event()
        self.scan_seconds: float | None = None
        self.scanned_files = 0
        self.scanned_paths: list[str] = []  # the files on disk the scans found
        # Files that appeared on disk after the scans (watched-file events, the poller) and
        # scanned ones that went since; disk_generation counts each change of either, so
        # what lists the files (navigation's commands) knows when to look again.
        self._scanned_set: set[str] = set()
        self.later_paths: set[str] = set()
        self.gone_paths: set[str] = set()
        self.disk_generation = 0
        self.poller = None  # a DiskPoller for clients that cannot watch files (lsp/watch.py)
        # Called (each guarded) when a scan ends: feature modules start background work
        # that needs the workspace's files (navigation's reference index).
        self.after_scan: list = []

    # -- the disk's encoding of open documents --------------------------------------------
    def read_disk_encoding(self, uri: str) -> None:
        """On open and save: is the file on disk UTF-8? Claude Code reads the disk's bytes,
        whatever the editor decoded them as (VS Code: U+FFFD; Neovim: Latin-1)."""
        td = self.text_document(uri)
        if td is None or not td.path:
            return
        path, kind = self.agent_kind(td)
        if kind is None:
            return
        read = _read_disk(path)  # not saved yet, or unreadable: nothing Claude Code could read either
        bad = read[1] if read is not None else None
        found = (*LineIndex(read[0]).position(bad.offset), bad) if bad is not None else None
        if self._disk_invalid_utf8.get(path) == found:
            return
        if found is None:
            self._disk_invalid_utf8.pop(path, None)
        else:
            self._disk_invalid_utf8[path] = found
        self.reparse(uri)  # a save keeps the version: check the same text again

    def invalid_utf8_at(self, path: str, text: str) -> InvalidUTF8 | None:
        """The disk's first bad byte, placed at its line and column in the editor's text."""
        found = self._disk_invalid_utf8.get(path)
        if found is None:
            return None
        line, column, bad = found
        return InvalidUTF8(LineIndex(text).offset(line, column), bad.byte_offset, bad.byte, bad.count)

    # -- files on disk --------------------------------------------------------------------
    def reload_unless_open(self, path: str) -> bool:
        """A file changed on disk: index it again, unless it is open (the editor's copy
        wins); True when cross-file facts changed."""
        self._disk_indexes.pop(path, None)
        kind = locate_file(path)
        if kind is not None:
            self._on_disk(path, True)
        return self.project.load(path, kind)

    def unindex_unless_open(self, path: str) -> bool:
        """A file went from disk: drop it from the index, unless it is open; True when
        cross-file facts changed."""
        self._disk_indexes.pop(path, None)
        self._on_disk(path, False)
        return self.project.unload(path)

    def _on_disk(self, path: str, present: bool) -> None:
        """Keep :attr:`later_paths` and :attr:`gone_paths` (see ``__init__``) true of ``path``."""
        if present:
            if path in self.gone_paths:
                self.gone_paths.discard(path)
                self.disk_generation += 1
            if path not in self._scanned_set and path not in self.later_paths:
                self.later_paths.add(path)
                self.disk_generation += 1
        elif path in self.later_paths or (path in self._scanned_set and path not in self.gone_paths):
            self.later_paths.discard(path)
            if path in self._scanned_set:
                self.gone_paths.add(path)
            self.disk_generation += 1

    def disk_paths(self) -> set[str]:
        """The agent files on disk as far as the server knows: scanned, or seen since, less
        those that went."""
        return (self._scanned_set | self.later_paths) - self.gone_paths

    def related_position(self, path: str) -> tuple[str, LineIndex] | None:
        """The URI and line table of another file a finding points to (open: the editor's)."""
        path = norm_path(path)
        uri = self.uri_of_path(path)
        if uri is not None:
            parsed = self.parsed(uri)
            if parsed is not None:
                return uri, parsed.document.index
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        cached = self._disk_indexes.get(path)
        if cached is None or cached[0] != stamp:
            read = _read_disk(path)
            if read is None:
                return None
            if len(self._disk_indexes) >= 4096:  # bounded: references may name any file of the workspace
                self._disk_indexes.clear()
            cached = self._disk_indexes[path] = (stamp, LineIndex(read[0]))
        return from_fs_path(path) or path, cached[1]

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
        token = await self._progress_begin(folders)
        count = 0
        try:
            found: list[tuple[str, str]] = []
            for folder in folders:
                try:
                    found.extend((norm_path(str(p)), kind) for p, kind in discover([folder], included=configured))
                except Exception:
                    log.exception("cannot scan %s", folder)
                await asyncio.sleep(0)
            found = list(dict.fromkeys(found))  # nested workspace folders: each file once
            self.scanned_paths.extend(path for path, _kind in found)
            self._scanned_set.update(path for path, _kind in found)
            self.gone_paths.difference_update(path for path, _kind in found)
            self.disk_generation += 1
            total = len(found)
            for i, (path, kind) in enumerate(found):
                self.project.load(path, kind)  # an open document is indexed from the editor's copy
                if i % 25 == 24:
                    if token is not None:
                        self.work_done_progress.report(token, types.WorkDoneProgressReport(
                            message=f"{i + 1}/{total} files", percentage=int(100 * (i + 1) / max(total, 1))))
                    await asyncio.sleep(0)
            # What the index holds for these folders: the files on disk and the open
            # documents (an unsaved one too), each once.
            count = len({path for path, _kind in found} | {p for p in self.project.open_paths() if _under(p, folders)})
        finally:
            if token is not None:
                self.work_done_progress.end(token, types.WorkDoneProgressEnd(message=f"{count} agent files indexed"))
        self.scanned_files += count
        self.scan_seconds = time.perf_counter() - started
        log.info("indexed %d agent files in %.3f s", count, self.scan_seconds)
        for hook in self.after_scan:
            try:
                hook()
            except Exception:
                log.exception("after the scan: %r failed", hook)
        return count

    async def _progress_begin(self, folders: list[str]) -> str | None:
        caps = self.client_capabilities
        if not folders or caps is None or caps.window is None or not caps.window.work_done_progress:
            return None
        token = f"agentls-scan-{time.monotonic_ns()}"
        try:
            await asyncio.wait_for(self.work_done_progress.create_async(token), 5)
            self.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title="agentls: indexing agent files", cancellable=False, percentage=0))
        except Exception as exc:  # the client refused or never answered
            log.info("no progress reporting: %s", exc)
            return None
        return token

    async def wait_for_scan(self) -> None:
        if not self.scan_done.is_set():
            try:
                await asyncio.wait_for(self.scan_done.wait(), SCAN_WAIT)
            except asyncio.TimeoutError:
                pass

    # -- what the client tells of the disk ------------------------------------------------
    def files_changed(self, changes: list[types.FileEvent]) -> bool:
        """``workspace/didChangeWatchedFiles``: re-read what changed on disk (open documents
        keep the editor's copy); True when cross-file facts or a configuration file changed."""
        changed = False
        for event in changes:
            path = path_of_uri(event.uri)
            if path is not None and os.path.basename(path) in ("plugin.json", "marketplace.json"):
                forget_manifests()  # which folders are a plugin's may have changed
                changed = True
                continue
            if path is not None and os.path.basename(path) in CONFIG_FILES:
                forget_config_lookups()  # a configuration file appeared, changed or went
                changed = True  # findings() reloads the configuration by its mtime
                continue
            if path is None or self.project.is_open(path):
                continue  # the editor's copy is authoritative while open
            if event.type != types.FileChangeType.Deleted:
                changed |= self.reload_unless_open(path)
            elif locate_file(path) is not None:
                changed |= self.unindex_unless_open(path)
            else:  # a folder may have gone: drop everything under it
                prefix = path.rstrip(os.sep) + os.sep
                for gone in [p for p in self.disk_paths() if p.startswith(prefix)]:
                    self._on_disk(gone, False)
                changed |= self.project.unload_under(path)
        return changed

    async def folders_changed(self, event: types.WorkspaceFoldersChangeEvent) -> bool:
        """``workspace/didChangeWorkspaceFolders``: forget the removed folders' files (open
        documents stay), scan the added ones; True when the index changed."""
        changed = False
        for folder in event.removed:
            root = path_of_uri(folder.uri)
            if not root:
                continue
            if self.poller is not None:
                self.poller.remove(root)
            changed |= self.project.unload_under(root)
        added = [p for p in (path_of_uri(f.uri) for f in event.added) if p]
        if added:
            before = len(self.scanned_paths)
            await self.scan(added)
            changed = True
            if self.poller is not None:  # the server polls the disk: the new folders too
                self.poller.add(added, self.scanned_paths[before:])
        return changed


def poll_disk(ls: AgentLanguageServer) -> None:
    """After the start-up scan, for a client that cannot watch files: poll the disk."""
    folders = ls.folders()
    if folders:
        from agentls.lsp.watch import DiskPoller

        ls.poller = DiskPoller(ls, folders)
        ls.poller.start(ls.scanned_paths)  # what it finds on the way is indexed


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
        types.FileSystemWatcher(glob_pattern="**/*.mdc"),
        types.FileSystemWatcher(glob_pattern="**/.claude-plugin/*.json"),
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


def register(server: AgentLanguageServer) -> None:
    """The handlers for what the client tells of the disk and the workspace folders."""

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded()
    def watched_files(ls: AgentLanguageServer, params: types.DidChangeWatchedFilesParams):
        if ls.files_changed(params.changes):
            ls.diagnostics.schedule_refresh(0)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    @guarded()
    async def did_change_folders(ls: AgentLanguageServer, params: types.DidChangeWorkspaceFoldersParams):
        if await ls.folders_changed(params.event):
            ls.diagnostics.schedule_refresh(0)
