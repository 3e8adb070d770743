"""Start-up: compiled code of generated methods kept across runs.

``dataclasses`` writes each class's ``__init__``, ``__repr__``, ``__eq__``... as source
text and compiles it when the class is defined, on every start: Python caches the
bytecode of files, never of generated code. agentls defines ~60 dataclasses, so every
``agentls check`` paid ~25-30 ms of ``compile()`` before its first file (issue 17: the
pre-commit hook on five files took ~100-130 ms in all; the language server pays it too).

So the first run keeps the code objects in a cache file, keyed by their exact source
text, and later runs hand ``exec`` the same code object for the same text instead of
compiling it again: a module global named ``exec`` in :mod:`dataclasses` shadows the
builtin for that module alone. dataclasses still builds every class and runs every
generated method the normal way; only the compilation is skipped, and compiling the
same text with the same ``__future__`` features (the caller's, as ``exec`` does) gives
the same code, so nothing can differ but the time. The file is named by
Python's bytecode magic number (code objects are only valid for one), written
atomically (two runs at once leave the old file or the new one), and rewritten only
when a run compiled something new; a damaged or foreign file is ignored.
``AGENTLS_NO_STARTUP_CACHE=1`` turns it off; ``AGENTLS_CACHE_DIR`` moves it.

The language server uses the same folder and files for attrs' generated methods
(``lsprotocol.types``: :mod:`agentls.lsp.startup`).
"""

from __future__ import annotations

import __future__
import builtins
import marshal
import os
import sys

# Reading the magic number from importlib.util costs an import; this is its value for
# the running interpreter, taken from the loader's own constant.
from importlib._bootstrap_external import MAGIC_NUMBER  # type: ignore[attr-defined]

# exec() of a text compiles it with the __future__ features of the code that called it
# (dataclasses has none): a stand-in must compile with the caller's, not with this
# module's (it has `annotations`, which would turn the generated methods' annotations
# into strings).
FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag

# Entries a file keeps at most: each run adds the snippets it compiled, so a source tree
# under development would grow it without end; past this, only the last run's are kept.
MAX_ENTRIES = 4000

_installed: dict[str, CodeTable] = {}  # what install() did: its "table"


def cache_dir() -> str:
    """The user's cache folder for agentls (not the project's ``.agentls_cache``)."""
    base = os.environ.get("AGENTLS_CACHE_DIR")
    if base:
        return base
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
        return os.path.join(root, "agentls", "cache")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~"), "Library", "Caches", "agentls")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
                        "agentls")


def load(path: str) -> dict:
    """The code objects kept in ``path`` (empty when it is missing, damaged or foreign)."""
    try:
        with open(path, "rb") as f:
            data = marshal.loads(f.read())  # marshal.load(f) reads in small pieces: ~20x slower
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def save(path: str, codes: dict) -> bool:
    """Write ``codes`` to ``path`` atomically; False when the folder is not writable."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(marshal.dumps(codes))
        os.replace(tmp, path)  # a concurrent run reads the old file or the new one
        return True
    except (OSError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


class CodeTable:
    """Code objects kept in one file, by (``__future__`` features, file name, source
    text): compiling the same text with the same features gives the same code."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.codes = load(path)
        self.used: dict = {}  # what this process asked for
        self.hits = self.misses = 0
        self._saved = 0  # misses at the last save()

    def compile(self, source: str, filename: str, flags: int):
        """``compile(source, filename, "exec", flags, dont_inherit=True)``, kept."""
        key = (flags, filename, source)
        code = self.codes.get(key)
        if code is None:
            code = self.codes[key] = builtins.compile(source, filename, "exec", flags, True)
            self.misses += 1
        else:
            self.hits += 1
        self.used[key] = code
        return code

    def stats(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses}

    def save(self) -> None:
        """Write the file if something new was compiled since the last write; past
        :data:`MAX_ENTRIES`, only what this process used."""
        if self.misses == self._saved:
            return
        save(self.path, self.codes if len(self.codes) <= MAX_ENTRIES else self.used)
        self._saved = self.misses


def caller_flags(frame) -> int:
    """The ``__future__`` features of the code running in ``frame``: what ``exec()`` and
    ``compile()`` called there would compile with."""
    return frame.f_code.co_flags & FUTURE_FLAGS


def dataclasses_file() -> str:
    # "2": entries keyed by (the caller's __future__ flags, file name, source text)
    return os.path.join(cache_dir(), f"dataclasses-code-2-{MAGIC_NUMBER.hex()}.marshal")


def install() -> bool:
    """Have :mod:`dataclasses` reuse kept code from now on in this process; the file is
    updated at exit if something new was compiled. False when turned off or when
    something else already shadows ``exec`` there. (A dataclasses that stopped calling
    ``exec`` by name would simply never use the shadow.)"""
    if _installed or os.environ.get("AGENTLS_NO_STARTUP_CACHE"):
        return bool(_installed)
    import dataclasses

    if "exec" in vars(dataclasses):
        return False  # someone else's shadow: leave it be
    table = _installed["table"] = CodeTable(dataclasses_file())

    def cached_exec(source, globals=None, locals=None, /):
        if isinstance(source, str):
            source = table.compile(source, "<string>", caller_flags(sys._getframe(1)))
        return builtins.exec(source, globals, locals)

    dataclasses.exec = cached_exec  # type: ignore[attr-defined]
    import atexit

    atexit.register(table.save)
    return True


def stats() -> dict[str, int]:
    """Snippets reused and compiled since :func:`install` (for the tests)."""
    table = _installed.get("table")
    return {"used": len(table.used), "misses": table.misses} if table else {"used": 0, "misses": 0}
