"""Server start-up: importing ``lsprotocol.types`` without recompiling attrs' methods.

``lsprotocol.types`` defines ~570 attrs classes, and attrs writes each class's
``__init__``, ``__eq__``, ``__repr__``... as source text and compiles it at import:
765 ``compile()`` calls, about half of the ~0.3-0.6 s the import takes, on every start
of the server (Python caches the bytecode of files, never of generated code).

So the first start keeps the compiled code objects in a cache file, and later starts
hand attrs the same code objects for the same source text and file name instead of
compiling again. attrs still builds every class and runs every generated method the
normal way; only the compilation is skipped. The cache is keyed by the exact source
and file name of each snippet, and the file by Python's bytecode magic number and the
size and mtime of attrs' and lsprotocol's sources, so a changed library or
interpreter simply misses (old files are left for the user's cache cleaner).
Anything unexpected (no cache folder, a damaged file, another attrs) falls back to a
plain import; ``AGENTLS_NO_STARTUP_CACHE=1`` turns the cache off.

cattrs does the same for every message type the first time one is read or sent (the
structure and unstructure functions pygls' converter generates: ~35 ``compile()`` calls,
~12 ms, for the ``initialize`` request and its result alone, more for a client with
many capabilities). :func:`cache_cattrs_code` keeps those in a second file, for the
whole life of the server (message types keep appearing), written when the start-up is
over and at exit if something new was compiled.

Both files are kept by :class:`agentls.core.codecache.CodeTable`, as dataclasses' code is, in
the same user cache folder.
"""

from __future__ import annotations

import builtins
import hashlib
import importlib.util
import os
import sys
from pathlib import Path

from agentls.core import codecache

# What the last import_lsprotocol() did: {"hits": n, "misses": n} (the tests read it).
LAST: dict[str, int] = {}


def cache_dir() -> Path:
    return Path(codecache.cache_dir())


def cache_file(*modules: str) -> Path:
    """The cache file for these source files as they are now (size and mtime of each)."""
    stamp = hashlib.blake2b(digest_size=8)
    for source in modules:
        try:
            st = os.stat(source)
            stamp.update(f"{source}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
        except OSError:
            stamp.update(source.encode("utf-8", "surrogatepass"))
    # importlib.metadata would name the versions, but costs 30 ms: stat() tells change apart.
    # "2": entries keyed with the caller's __future__ features too
    return cache_dir() / f"lsprotocol-code-2-{importlib.util.MAGIC_NUMBER.hex()}-{stamp.hexdigest()}.marshal"


def _compile_into(table: codecache.CodeTable):
    """A stand-in for ``compile`` in one module (attrs', cattrs'): the same code object
    for the same source text, file name and ``__future__`` features. ``compile()``
    inherits the features of the code that calls it, so the stand-in compiles with its
    caller's (attrs' module, not this one), as the call it replaces would."""

    def cached_compile(source, filename, mode, *args, **kwargs):
        if args or kwargs or mode != "exec" or not isinstance(source, str) or not isinstance(filename, str):
            return builtins.compile(source, filename, mode, *args, **kwargs)
        return table.compile(source, filename, codecache.caller_flags(sys._getframe(1)))

    return cached_compile


def import_lsprotocol() -> dict[str, int]:
    """Import ``lsprotocol.types``, reusing cached compiled code. Returns hit/miss counts."""
    stats = LAST
    stats.update(hits=0, misses=0)
    if "lsprotocol.types" in sys.modules or os.environ.get("AGENTLS_NO_STARTUP_CACHE"):
        import lsprotocol.types  # noqa: F401

        return stats
    try:
        import attr._make as make
    except ImportError:
        make = None
    if make is None or "compile" in vars(make):  # not the attrs this was written for
        import lsprotocol.types  # noqa: F401

        return stats
    import lsprotocol  # the package only (empty): its folder

    table = codecache.CodeTable(str(cache_file(make.__file__, os.path.join(os.path.dirname(lsprotocol.__file__),
                                                                          "types.py"))))
    cached_compile = _compile_into(table)
    make.compile = cached_compile  # a module global shadows the builtin for attrs alone
    try:
        import lsprotocol.types  # noqa: F401
    finally:
        if vars(make).get("compile") is cached_compile:
            del make.compile
    table.save()
    stats.update(table.stats())
    return stats


# cattrs' generated code in this process: the "table" cache_cattrs_code() installed.
CATTRS: dict[str, codecache.CodeTable] = {}


def cache_cattrs_code() -> bool:
    """From now on, cattrs' generated (un)structure functions reuse kept code; the file
    is written by :func:`save_cattrs_code` (at exit too). False when turned off or when
    cattrs is not the one this was written for."""
    if CATTRS or os.environ.get("AGENTLS_NO_STARTUP_CACHE"):
        return bool(CATTRS)
    try:
        from cattrs import gen
    except ImportError:
        return False
    if "compile" in vars(gen):
        return False
    import lsprotocol

    folder = os.path.dirname(lsprotocol.__file__)
    path = cache_file(gen.__file__, os.path.join(folder, "types.py"), os.path.join(folder, "_hooks.py"))
    table = CATTRS["table"] = codecache.CodeTable(str(path.with_name(path.name.replace("lsprotocol-code-",
                                                                                       "cattrs-code-"))))
    gen.compile = _compile_into(table)  # type: ignore[attr-defined]
    import atexit

    atexit.register(table.save)
    return True


def save_cattrs_code() -> None:
    """Write cattrs' kept code if something new was compiled since the last write."""
    if CATTRS:
        CATTRS["table"].save()
