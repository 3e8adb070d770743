"""The content cache of ``agentls check`` (issue 17), kept as ruff keeps its own.

A repeat run on an unchanged tree reads each file, hashes it, and reports what the last
run found, without parsing or linting. It lives in ``.agentls_cache/`` in the folder the
check runs in (``AGENTLS_CACHE_DIR`` moves it), which holds a ``.gitignore`` of ``*`` so
git never sees it; ``--no-cache`` (or ``AGENTLS_NO_CACHE=1``) neither reads nor writes it.

What a file's findings depend on, and so what its entry is keyed by:

* its bytes (a BLAKE2 digest), its path as given and the location discovery gave it
  (kind, tool, scope, tree, plugin);
* its resolved settings, from their content (rules disabled, severities, extended
  names, exclusion, ``target-version``), not from :attr:`FileSettings.stamp`, which
  changes with every run;
* agentls: its version, the facts' version (:data:`agentls.facts.versions`) and the
  content of each of its source files, so that an edited checkout (an editable install)
  never reads a stale entry while a fresh install of the same release reads the cache;
  and the folder the check runs in (messages show paths relative to it);
* the workspace index, which cross-file rules read (duplicate names, skills, the
  description budget): an entry records a digest of the whole index of its run, and is
  used only when this run's index has the same digest. The index is built from the
  entries of unchanged files (each keeps what it added to the index) and the parses of
  the changed ones, so a changed name or description re-checks every file, and a change
  elsewhere in a file re-checks that file alone.

The cache folder also keeps discovery's last walk of each set of folders checked
(``discovery-*.marshal``, :class:`Memo`; what makes a replay valid is discovery's own
business: :class:`agentls.engine.discovery._Record`).

Entries are sharded by path into :data:`SHARDS` files, so a run on a few files (a
pre-commit hook) reads and writes a few small files. Each shard is written whole to a
temporary file and renamed over the old one (``os.replace``): two runs at once never
leave a torn shard, the last one wins, and every entry carries its own keys. A shard
that cannot be read, or holds anything but agentls' finding records (it is unpickled
with an allow-list of classes), is ignored and written again.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable

try:  # BLAKE2 without hashlib, which loads OpenSSL (~3 ms of every start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

if TYPE_CHECKING:
    from agentls.engine.project import FileSettings, Project

CACHE_DIR = ".agentls_cache"
SHARDS = 64
FORMAT = 3  # bumped when an entry's or a shard's layout changes

# The classes a shard may hold: agentls' finding and index records, nothing that runs code.
_ALLOWED = {
    ("agentls.rules.registry", "Finding"), ("agentls.rules.registry", "Fix"),
    ("agentls.rules.registry", "Edit"), ("agentls.rules.registry", "Related"),
    ("agentls.rules.registry", "Severity"), ("agentls.core.text", "Span"),
    ("agentls.rules.index", "AgentRecord"), ("agentls.rules.registry", "Rule"),
}
RULES_FILE = "rules.bin"  # the rule records, for reports of cached findings (not a shard)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cache record")


def enabled(no_cache: bool = False) -> bool:
    return not no_cache and os.environ.get("AGENTLS_NO_CACHE", "") in ("", "0")


def cache_dir(root: str) -> Path:
    where = os.environ.get("AGENTLS_CACHE_DIR")
    return Path(where) if where else Path(root) / CACHE_DIR


def code_stamp() -> str:
    """agentls' version, its facts' version and the content of each of its sources (not
    their times: the same release installed on another machine, or in a fresh CI
    environment, reads the same cache; an edited checkout never reads a stale one). ~3 ms."""
    import agentls
    from agentls.facts import versions

    h = blake2b(digest_size=16)
    h.update(f"{FORMAT}|{agentls.__version__}|{versions.CLAUDE_CODE_VERSION}|{versions.FACTS_DATE}".encode())
    package = os.path.dirname(agentls.__file__)
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(os.path.join(package, rel)) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            name = f"{rel}/{e.name}" if rel else e.name
            if e.name.endswith(".py"):
                try:
                    with open(e.path, "rb") as fh:
                        data = fh.read()
                except OSError:
                    data = b"?"
                h.update(f"{name}|{len(data)}|".encode("utf-8", "surrogatepass"))
                h.update(data)
            elif e.name != "__pycache__" and e.is_dir():
                stack.append(name)
    return h.hexdigest()


def settings_key(settings: "FileSettings") -> str:
    """What ``settings`` decide, as text that is the same in every run: every field but
    the stamp (which changes with every run), sets and mappings sorted. A field added to
    :class:`FileSettings`, :class:`RuleSettings` or :class:`Extensions` later is part of
    the key without a change here."""
    return _canonical({f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
                       if f.name != "stamp"})


def config_key(config) -> str:
    """What a configuration (an :class:`agentls.engine.config.Config`, the command line's
    layer merged in) decides for the files it applies to, with the file's path (a part of
    every entry's key): its settings' content and the folder its globs are relative to.
    Computing it needs neither the rules nor a file's resolved settings."""
    return "config:" + _canonical(config.root) + _canonical(config.settings)


def _canonical(value) -> str:
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return repr(value)  # an IntEnum (a severity) as its number
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{_canonical(k)}:{_canonical(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if dataclasses.is_dataclass(value):  # private fields (caches, compiled globs) left out
        return type(value).__name__ + _canonical({f.name: getattr(value, f.name) for f in dataclasses.fields(value)
                                                  if not f.name.startswith("_")})
    return repr(value)  # anything else: its repr (an address in it only costs cache misses)


def kind_key(kind: str) -> tuple:
    """Everything the discovered kind says (a :class:`~agentls.facts.targets.Location`'s
    ``same``: kind, tool, scope, tree, plugin)."""
    same = getattr(kind, "same", None)
    return (type(kind).__name__, same if isinstance(same, tuple) else str(kind))


def _record(entry) -> tuple[bytes, bytes]:
    """What one file adds to the index (``None``: nothing), as ``(digest, pickle)``: runs
    whose files are all unchanged never unpickle it."""
    # The digest of its repr (a dataclass's: its fields), not of the pickle, whose bytes
    # depend on which equal strings happen to be one object.
    digest = blake2b(repr(entry).encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return digest, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)


def _unrecord(data: bytes):
    import io

    return _Unpickler(io.BytesIO(data)).load()


def run_digest(files, readable: list[int], records: dict[int, tuple[bytes, bytes]]) -> bytes:
    """A digest of the workspace index of a run (what cross-file rules read): of each
    file's path and what it adds to the index, in path order."""
    h = blake2b(digest_size=16)
    for path, i in sorted((str(files[i][0]), i) for i in readable):
        h.update(path.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
        h.update(records[i][0])
        h.update(b"\x1e")
    return h.digest()


def index_entry(index, path: str):
    """What ``path`` added to ``index`` (as :meth:`WorkspaceIndex.entry_for` gives it)."""
    record = index.agent(path)
    if record is not None:
        return ("agent", record)
    skill = index.skill(path)
    return ("skill", skill) if skill is not None else None


# An entry: (content digest, kind key, settings key, the digest of what the file adds to
# the index (its record: the pickle is kept beside the entries, :meth:`Cache.record`), the
# run's index digest, findings, positions or None, error or None, file status or None).
_CONTENT, _KIND, _SETTINGS, _ENTRY, _INDEX, _FINDINGS, _POSITIONS, _ERROR, _STAT = range(9)

# A file's status (size, modification and change times, inode) stands for its content
# digest only when it was written this long before the entry: as git's index does, a file
# changed again within the file system's time granularity is read, never trusted.
SETTLED_NS = 2_000_000_000


def _status(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class Cache:
    """The shards of one check's cache folder, read on demand and written back when changed."""

    def __init__(self, root: str, folder: Path | None = None) -> None:
        self.root = os.path.abspath(root)
        self.folder = folder if folder is not None else cache_dir(root)
        self.stamp = blake2b(f"{code_stamp()}|{self.root}".encode("utf-8", "surrogatepass"),
                                     digest_size=8).hexdigest()
        self.where = self.folder / f"check-{self.stamp}"
        self._shards: dict[int, dict] = {}
        # Each shard's index records (path -> pickle), kept in the shard as one pickled
        # blob: a run whose files are all unchanged never needs them, and ~10,000 small
        # bytes objects cost more to load than one large one (issue 17).
        self._blobs: dict[int, bytes] = {}
        self._records: dict[int, dict] = {}
        self._dirty: set[int] = set()

    @staticmethod
    def shard_of(path: str) -> int:
        return zlib.crc32(path.encode("utf-8", "surrogatepass")) % SHARDS

    def _load(self, n: int) -> dict:
        shard = self._shards.get(n)
        if shard is None:
            shard, blob = {}, b""
            try:
                with open(self.where / f"{n:02x}.pickle", "rb") as fh:
                    data = _Unpickler(fh).load()
                if isinstance(data, dict) and data.get("stamp") == self.stamp:
                    shard, blob = data["entries"], data["records"]
                    if not (isinstance(shard, dict) and isinstance(blob, bytes)):
                        shard, blob = {}, b""
            except Exception:  # missing, torn, corrupt or foreign: start the shard afresh
                shard, blob = {}, b""
            self._shards[n] = shard
            self._blobs[n] = blob
        return shard

    def _records_of(self, n: int) -> dict:
        records = self._records.get(n)
        if records is None:
            self._load(n)
            records = {}
            try:
                if self._blobs[n]:
                    records = _unrecord(self._blobs[n])
                if not isinstance(records, dict):
                    records = {}
            except Exception:  # corrupt: each file's record is missing (read again)
                records = {}
            self._records[n] = records
        return records

    def get(self, path: str):
        return self._load(self.shard_of(path)).get(path)

    def record(self, path: str) -> bytes | None:
        """The pickle of what ``path`` added to the index, as :meth:`put` kept it (None:
        the cache has none)."""
        data = self._records_of(self.shard_of(path)).get(path)
        return data if isinstance(data, bytes) else None

    def put(self, path: str, entry: tuple, record: bytes) -> None:
        """Keep ``entry`` and ``record``, the pickle of what the file adds to the index."""
        n = self.shard_of(path)
        self._load(n)[path] = entry
        self._records_of(n)[path] = record
        self._dirty.add(n)

    def recorded_rules(self, codes: set[str]) -> bool:
        """Put the rules of ``codes`` as the cache recorded them in
        :data:`agentls.rules.registry.RECORDED`; False when it has not all of them."""
        from agentls.rules.registry import RECORDED, Rule

        try:
            with open(self.where / RULES_FILE, "rb") as fh:
                data = _Unpickler(fh).load()
            if not (isinstance(data, dict) and data.get("stamp") == self.stamp):
                return False
            rules = data["rules"]
            found = {c: rules[c] for c in codes}
        except Exception:  # missing, torn, corrupt or foreign: load the rule families
            return False
        if not all(isinstance(r, Rule) and r.code == c for c, r in found.items()):
            return False
        RECORDED.update(found)
        return True

    def record_rules(self) -> None:
        """Keep every registered rule for :meth:`recorded_rules` (once per cache folder,
        which agentls' sources key; never raises)."""
        from agentls.rules import ruleset
        from agentls.rules.registry import RULES

        try:
            if (self.where / RULES_FILE).exists() or not ruleset.loaded():
                return
            self.where.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.where / RULES_FILE, pickle.dumps({"stamp": self.stamp, "rules": dict(RULES)},
                                                                protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:
            pass

    def memo(self) -> Memo:
        """Where discovery keeps its walks' records (:class:`agentls.engine.discovery._Record`),
        in this cache's folder (keyed by agentls' sources and the root, as the entries are)."""
        return Memo(self)

    def _prepare(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            _write_atomic(ignore, b"# Automatically created by agentls.\n*\n")
            _write_atomic(self.folder / "CACHEDIR.TAG",
                          b"Signature: 8a477f597d28d172789f06886806bc55\n"
                          b"# This file is a cache directory tag created by agentls.\n")
        self.where.mkdir(exist_ok=True)

    def save(self) -> None:
        """Write the changed shards (never raises: a cache that cannot be written is no cache)."""
        if not self._dirty:
            return
        try:
            self._prepare()
            for n in sorted(self._dirty):
                # Entries and records in one file, written at once: they never disagree.
                records = pickle.dumps(self._records_of(n), protocol=pickle.HIGHEST_PROTOCOL)
                data = pickle.dumps({"stamp": self.stamp, "entries": self._shards[n], "records": records},
                                    protocol=pickle.HIGHEST_PROTOCOL)
                _write_atomic(self.where / f"{n:02x}.pickle", data)
        except Exception:
            pass
        self._dirty.clear()


class Memo:
    """Named blobs beside a cache's shards, for discovery (``load``/``save``; written whole
    and renamed into place, as the shards are; never raises)."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def load(self, name: str) -> bytes | None:
        try:
            with open(self.cache.where / f"{name}.marshal", "rb") as fh:
                return fh.read()
        except OSError:
            return None

    def save(self, name: str, data: bytes) -> None:
        try:
            self.cache._prepare()
            _write_atomic(self.cache.where / f"{name}.marshal", data)
        except Exception:
            pass


def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile  # only when something is written (it imports shutil, random)

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


Outcome = tuple  # (doc or Source or None, findings, error)


def _parse(data: bytes, path: Path, kind: str):
    """As :func:`agentls.engine.project.read_document` parses a file's bytes (through that
    module's ``parse_bytes``), from the bytes already read."""
    from agentls.engine import project

    try:
        return project.parse_bytes(data, str(path), kind), None
    except Exception as exc:  # as agentls.engine.project.read_document says it
        return None, f"agentls failed to parse this file (a bug; please report it): {type(exc).__name__}: {exc}"


def _data(data: bytes | None, path: Path) -> bytes:
    """The file's bytes: as read, or (its status said it is unchanged) read now."""
    if data is not None:
        return data
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def _positions(doc, findings):
    """The lines and columns the reports use, from a Document or a worker's Source."""
    from agentls.cli.parallel import Source, positions_of

    if isinstance(doc, Source):
        return doc.index._positions, doc.index._lines
    return positions_of(doc, findings)


def check(project: "Project", files: list[tuple[Path, str]], cache: Cache, jobs: int = 1,
          progress: Callable[[int, int], None] | None = None, configs=None) -> list[Outcome]:
    """Each file's ``(doc, findings, error)`` in order, as :meth:`Project.check` gives them,
    from ``cache`` where a file, its settings and the workspace index are unchanged.

    ``configs``: the :class:`agentls.engine.config.ConfigSet` that ``project`` resolves
    settings from; the keys then come from each file's configuration (:func:`config_key`),
    so that a run whose files are all unchanged resolves no file's settings (nor loads
    the rules to). Without it, from each file's resolved settings (:func:`settings_key`)."""
    from agentls.cli import parallel
    from agentls.cli.parallel import Source
    from agentls.engine.project import READ_ERROR

    total = len(files)
    keys: list[tuple | None] = []  # (content digest, kind key, settings key) per file
    datas: list[bytes | None] = []  # None: not read (the status says it is unchanged)
    stats: list[tuple | None] = []
    hits: dict[int, tuple] = {}
    out: list[Outcome | None] = [None] * total
    memo: dict[tuple, tuple] = {}  # the ids of a FileSettings' values (kept alive) -> its key
    by_folder: dict[str, tuple] = {}  # a folder (as the paths give it) -> its files' settings key
    names = None
    sep = os.sep
    for i, (path, kind) in enumerate(files):
        name = str(path)
        entry = cache.get(name)
        data = None
        try:
            status = _status(os.stat(name))
            if entry is None or len(entry) <= _STAT or entry[_STAT] != status:
                with open(name, "rb") as fh:
                    status = _status(os.fstat(fh.fileno()))  # what was read
                    data = fh.read()
        except OSError as exc:
            out[i] = (None, [], f"{READ_ERROR}: {exc.strerror or exc}")
            keys.append(None)
            datas.append(None)
            stats.append(None)
            continue
        if configs is not None:
            # A file's configuration is its folder's (ConfigSet.for_path looks a file up by
            # its folder): asked once per folder, not per file.
            folder = name.rpartition(sep)[0]
            skey = by_folder.get(folder)
            if skey is None:
                config = configs.for_path(path)
                held = (id(config),)
                skey = memo.get(held)
                if skey is None:
                    memo[held] = skey = (config_key(config), config)  # kept alive: its id stays its own
                by_folder[folder] = skey
        else:
            settings = project.settings_for(path)
            if names is None:
                names = [f.name for f in dataclasses.fields(settings) if f.name != "stamp"]
            values = tuple(getattr(settings, f) for f in names)  # kept alive in the memo: ids stay theirs
            held = tuple(map(id, values))
            skey = memo.get(held)
            if skey is None:
                memo[held] = skey = (settings_key(settings), values)
        digest = entry[_CONTENT] if data is None else blake2b(data, digest_size=16).digest()
        key = (digest, kind_key(kind), skey[0])
        keys.append(key)
        datas.append(data)
        stats.append(status)
        if entry is not None and tuple(entry[:3]) == key:
            hits[i] = entry
    readable = [i for i in range(total) if keys[i] is not None]
    misses = [i for i in readable if i not in hits]

    workers = parallel.workers_for(jobs, len(misses)) if misses else 1
    # What each file adds to the index: (digest, pickle); a hit's pickle is None until needed.
    records: dict[int, tuple[bytes, bytes | None]] = {}
    if workers > 1:  # many changed files: a whole check, in parallel, as without a cache
        todo = [files[i] for i in readable]
        # The workers parse the bytes this process has read (and hashed), not the files
        # again: the project reads through this, in them too (they are forked).
        read_bytes = {str(files[i][0]): datas[i] for i in readable if datas[i] is not None}
        disk_read = project.read

        def read(path, kind):
            data = read_bytes.get(str(path))
            return disk_read(path, kind) if data is None else _parse(data, path, kind)

        project.read = read
        try:
            done = parallel.check(project, todo, workers, progress)
            if done is None:  # a worker failed: serially, as check_paths does
                done = project.check(todo, progress=progress)
        finally:
            del project.read  # the method again
        for i, outcome in zip(readable, done):
            out[i] = outcome
            records[i] = _record(index_entry(project.index, str(files[i][0])))
        digest = run_digest(files, readable, records)
        fresh = readable
    else:
        parsed: dict[int, tuple] = {}
        entries: dict[int, object] = {}

        def parse(i: int) -> None:
            parsed[i] = _parse(_data(datas[i], files[i][0]), *files[i])
            doc = parsed[i][0]
            entries[i] = project.index.entry_for(str(files[i][0]), doc, files[i][1]) if doc is not None else None
            records[i] = _record(entries[i])

        for i in readable:
            if i in hits:
                records[i] = (hits[i][_ENTRY], None)
            else:
                parse(i)
        # The index is a function of what each file adds to it: its digest needs no index.
        digest = run_digest(files, readable, records)
        stale = [i for i in readable if i not in hits or hits[i][_INDEX] != digest]
        if stale:  # some file is linted: every file in the index before the first lint
            for i in readable:
                if i in entries:
                    continue
                data = cache.record(str(files[i][0]))
                try:
                    if data is None:
                        raise LookupError(files[i][0])
                    entries[i] = _unrecord(data)
                    records[i] = (records[i][0], data)
                except Exception:  # the cache lost what the file adds to the index: parse it
                    del hits[i]
                    parse(i)
            digest = run_digest(files, readable, records)  # the same unless a record was lost
            for i in readable:
                project.index.add(str(files[i][0]), entries[i])
        fresh = []
        for done_count, i in enumerate(readable, 1):
            path, kind = files[i]
            hit = hits.get(i)
            if hit is not None and hit[_INDEX] == digest:
                positions = hit[_POSITIONS]
                doc = Source(str(path), kind, positions) if positions is not None else None
                out[i] = (doc, hit[_FINDINGS], hit[_ERROR])
            else:
                doc, error = parsed[i] if i in parsed else _parse(_data(datas[i], path), path, kind)
                out[i] = (doc, project.lint(path, kind, doc) if doc is not None else [], error)
                fresh.append(i)
            if progress is not None:
                progress(done_count, total)
    if any(o is not None and o[1] for o in out):
        # The reports read each finding's rule from the registry, which a run of cached
        # entries alone has not loaded (a clean tree never needs it): the records the cache
        # kept of them, else the rule families (~30 ms, issue 17).
        codes = {f.code for o in out if o is not None for f in o[1]}
        from agentls.rules.registry import RULES

        if not codes <= RULES.keys() and (fresh or not cache.recorded_rules(codes)):
            from agentls.rules.ruleset import load_rules

            load_rules()
    if fresh:
        import time

        settled = time.time_ns() - SETTLED_NS
        for i in fresh:
            doc, findings, error = out[i]
            path = str(files[i][0])
            positions = _positions(doc, findings) if doc is not None else None
            status = stats[i]
            if status is not None and max(status[1], status[2]) > settled:
                status = None  # written just now: read it next time
            cache.put(path, (*keys[i], records[i][0], digest, findings, positions, error, status), records[i][1])
        cache.save()
        cache.record_rules()
    return out  # type: ignore[return-value]
