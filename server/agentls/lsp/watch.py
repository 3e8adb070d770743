"""Watching the disk for clients that cannot (``workspace/didChangeWatchedFiles``
without dynamic registration: Neovim on Linux, where it is off by default).

Without it a file created, changed or deleted on disk (``git checkout``, another
editor, a generator) would never reach the index, so a duplicate ``name`` on disk would
appear only after a restart. The server then polls, cheaply:

* the directories that hold agent files, and the places where they could appear
  (each workspace folder, its ``.claude`` and ``.claude/{agents,commands,skills}``):
  a directory's mtime changes when an entry is added, removed or renamed, and only then
  is it listed again;
* each indexed file on disk (one ``stat``), for changes in place;
* the configuration files at the workspace folders.

A poll costs one ``stat`` per indexed file and watched directory (40 ms for 10,000
files in 100 folders on the 2-core development machine); the interval (1 s, or
``AGENTLS_POLL_SECONDS``) grows so that polling never takes more than about 1 % of the
time (every 4 s there). Open documents are skipped: the editor's copy is authoritative.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING

from agentls.engine.config import CONFIG_FILES, forget_config_lookups
from agentls.facts.targets import classify

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer

log = logging.getLogger(__name__)

POLL_SECONDS = float(os.environ.get("AGENTLS_POLL_SECONDS", "1.0"))
_STANDARD = (".claude", os.path.join(".claude", "agents"), os.path.join(".claude", "commands"),
             os.path.join(".claude", "skills"))
_PROBES = ("probe.md", "SKILL.md")  # a folder is watched if a file named so there would be indexed


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _holds_agents(folder: str) -> bool:
    return folder.endswith(os.sep + ".claude") or any(
        classify(os.path.join(folder, probe))[0] is not None for probe in _PROBES)


class DiskPoller:
    """Polls the workspace's agent locations and feeds changes to the server's index."""

    def __init__(self, server: "AgentLanguageServer", folders: list[str]) -> None:
        self.server = server
        self.folders = list(folders)
        self.dirs: dict[str, tuple[int, int] | None] = {}  # folder -> stamp
        self.files: dict[str, tuple[int, int] | None] = {}  # indexed file on disk -> stamp
        self.configs: dict[str, tuple[int, int] | None] = {}
        self._task: asyncio.Task | None = None
        self.polls = 0

    def start(self, found: list[str]) -> bool:
        """Begin with the files the start-up scan found; True if the index changed."""
        changed = self.add([], found)
        self._task = asyncio.ensure_future(self._run())
        return changed

    def add(self, folders: list[str], found: list[str]) -> bool:
        """Watch more workspace folders, whose files a scan found; True if the index changed."""
        self.folders.extend(f for f in folders if f not in self.folders)
        changed = False
        for path in found:
            self.files[path] = _stamp(path)
            self._watch_dir(os.path.dirname(path), listed=True)
        for folder in self.folders:
            self._watch_dir(folder, listed=True)
            for rel in _STANDARD:
                path = os.path.join(folder, rel)
                if os.path.isdir(path):
                    changed |= self._watch_dir(path, listed=False)
            for name in CONFIG_FILES:
                path = os.path.join(folder, name)
                self.configs.setdefault(path, _stamp(path))
        return changed

    def remove(self, folder: str) -> None:
        """A workspace folder was removed: stop watching anything in it."""
        prefix = folder.rstrip(os.sep) + os.sep
        self.folders = [f for f in self.folders if f != folder]
        for table in (self.dirs, self.files, self.configs):
            for path in [p for p in table if p == folder or p.startswith(prefix)]:
                del table[path]

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _watch_dir(self, folder: str, *, listed: bool) -> bool:
        """Watch ``folder``; ``listed``: its entries are known already (else listed now,
        returning True when that changed the index)."""
        if folder in self.dirs:
            return False
        self.dirs[folder] = _stamp(folder)
        return False if listed else self._list(folder)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        interval = POLL_SECONDS
        while True:
            await asyncio.sleep(interval)
            started = loop.time()
            try:
                self.poll()
            except Exception:
                log.exception("polling the disk failed")
            # Never more than about 1 % of the time, however large the workspace.
            interval = max(POLL_SECONDS, 100 * (loop.time() - started))

    def poll(self) -> bool:
        """One pass; returns True when the index changed (others are then re-checked)."""
        self.polls += 1
        server = self.server
        changed = False
        for path, old in list(self.configs.items()):
            now = _stamp(path)
            if now != old:
                self.configs[path] = now
                forget_config_lookups()
                changed = True  # findings() reloads the configuration by its mtime
        for folder, old in list(self.dirs.items()):
            now = _stamp(folder)
            if now == old:
                continue
            self.dirs[folder] = now
            if now is None:  # the folder went: whatever was below it went too
                prefix = folder.rstrip(os.sep) + os.sep
                for gone in [d for d in self.dirs if d.startswith(prefix)]:
                    del self.dirs[gone]
                for gone in [f for f in self.files if f.startswith(prefix)]:
                    del self.files[gone]
                    changed |= self._gone(gone)
                continue
            changed |= self._list(folder)
        for path, old in list(self.files.items()):
            now = _stamp(path)
            if now == old:
                continue
            if now is None:
                del self.files[path]
                changed |= self._gone(path)
            else:
                self.files[path] = now
                changed |= server.reload_unless_open(path)  # the editor's copy wins
        if changed:
            server.diagnostics.schedule_refresh(0)
        return changed

    def _list(self, folder: str) -> bool:
        """A folder's entries changed: index new agent files, watch new agent folders."""
        changed = False
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return False
        for entry in entries:
            path = os.path.normpath(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if path not in self.dirs and _holds_agents(path):
                    changed |= self._watch_dir(path, listed=False)
            elif path not in self.files and classify(path)[0] is not None:
                self.files[path] = _stamp(path)
                changed |= self.server.reload_unless_open(path)
        return changed

    def _gone(self, path: str) -> bool:
        return self.server.unindex_unless_open(path)
