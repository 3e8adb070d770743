"""The start-up code cache (``agentls.core.codecache``): dataclasses' generated methods
are compiled once and reused by later processes, with the same behaviour and no risk.

Each case runs fresh interpreters, since the cache is installed when ``agentls`` is first
imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.fresh import probe_env, run_probe

from agentls.core import codecache

# A fresh process: import agentls (which installs the cache), define and use a dataclass,
# load the package's modules that a check needs, and print what the cache did.
PROBE = r"""
import json, sys
import agentls
from agentls.core import codecache
from dataclasses import dataclass, field, FrozenInstanceError

@dataclass(frozen=True, order=True)
class Point:
    x: int
    y: int = 0
    tags: tuple = field(default_factory=tuple)

p = Point(1, 2)
try:
    p.x = 5
    frozen = False
except FrozenInstanceError:
    frozen = True
import agentls.rules.lint, agentls.engine.project  # the package's own dataclasses
from agentls.core.text import Span
# The generated methods' annotations and the class's signature: exec() compiles them
# without the `annotations` future (dataclasses has none), so they are the types, not
# strings, and the cached code must be the same.
behaviour = [repr(p), p == Point(1, 2), p < Point(2), frozen, Point(3).tags,
             repr(Point.__init__.__annotations__), Point.__doc__, repr(Span.__init__.__annotations__)]
print(json.dumps({"stats": codecache.stats(), "behaviour": behaviour,
                  "installed": bool(codecache._installed)}))
"""


def probe(cache: Path, **env: str) -> dict:
    return run_probe(PROBE, cache, **env)


def cache_file(cache: Path) -> Path:
    files = list(cache.glob("dataclasses-code-*.marshal"))
    assert len(files) == 1, files
    return files[0]


def test_the_first_process_compiles_and_keeps_the_code_and_the_next_one_reuses_all_of_it(tmp_path):
    first = probe(tmp_path)
    assert first["installed"] and first["stats"]["misses"] > 50  # the package defines ~60 dataclasses
    assert cache_file(tmp_path).stat().st_size > 0
    second = probe(tmp_path)
    assert second["stats"] == {"used": first["stats"]["used"], "misses": 0}
    without = probe(tmp_path / "off", AGENTLS_NO_STARTUP_CACHE="1")
    assert second["behaviour"] == first["behaviour"] == without["behaviour"]
    assert second["behaviour"][:7] == ["Point(x=1, y=2, tags=())", True, True, True, [],
                                       "{'x': <class 'int'>, 'y': <class 'int'>, 'tags': <class 'tuple'>, "
                                       "'return': None}", "Point(x: int, y: int = 0, tags: tuple = <factory>)"]


def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path):
    probe(tmp_path)
    path = cache_file(tmp_path)
    for damage in (b"\x00garbage", b"", json.dumps([1, 2]).encode()):
        path.write_bytes(damage)
        run = probe(tmp_path)
        assert run["stats"]["misses"] > 50 and run["behaviour"][0] == "Point(x=1, y=2, tags=())"
        assert probe(tmp_path)["stats"]["misses"] == 0  # rewritten whole


def test_turned_off_it_neither_installs_nor_writes(tmp_path):
    run = probe(tmp_path, AGENTLS_NO_STARTUP_CACHE="1")
    assert not run["installed"] and run["behaviour"][0] == "Point(x=1, y=2, tags=())"
    assert not list(tmp_path.iterdir())


def test_an_unwritable_folder_costs_only_the_cache(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    run = probe(blocked / "sub")
    assert run["installed"] and run["behaviour"][1] is True


def test_processes_started_together_leave_a_readable_file(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", PROBE], env=probe_env(tmp_path), stdout=subprocess.PIPE, text=True)
             for _ in range(4)]
    assert all(json.loads(p.communicate()[0])["behaviour"][1] for p in procs)
    assert probe(tmp_path)["stats"]["misses"] == 0
    assert not list(tmp_path.glob("*.tmp"))


def test_save_and_load_round_trip_and_refuse_what_is_not_a_table(tmp_path):
    path = str(tmp_path / "sub" / "codes.marshal")
    code = compile("x = 1", "<string>", "exec")
    assert codecache.save(path, {"x = 1": code})
    assert codecache.load(path) == {"x = 1": code}
    Path(path).write_bytes(b"\x01\x02")
    assert codecache.load(path) == {}
    assert codecache.load(str(tmp_path / "missing")) == {}


@pytest.mark.parametrize("size, kept", [(10, 10 + 1), (codecache.MAX_ENTRIES + 5, 1)])
def test_a_file_past_its_bound_keeps_only_the_last_runs_code(tmp_path, size, kept):
    # A table with `size` entries kept from earlier runs, of which this run compiled one.
    path = tmp_path / "codes.marshal"
    codecache.save(str(path), {f"x = {i}": compile(f"x = {i}", "<string>", "exec") for i in range(size)})
    table = codecache.CodeTable(str(path))
    table.compile("y = 0", "<string>", 0)
    table.save()
    assert len(codecache.load(str(path))) == kept
