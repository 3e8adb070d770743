"""The server's start-up cache: compiled attrs methods for ``lsprotocol.types``.

Each case runs a fresh interpreter (the cache only matters for the first import) with
its own cache folder.
"""

from __future__ import annotations

from helpers.fresh import run_probe

PROBE = """
import json
import agentls.lsp.startup as startup
from lsprotocol import types
p = types.Position(line=1, character=2)
code = types.Position.__init__.__code__  # compiled as attrs compiles it: the same flags
print(json.dumps({"stats": startup.LAST, "eq": p == types.Position(line=1, character=2),
                  "repr": repr(p), "files": [f.name for f in startup.cache_dir().glob("lsprotocol-*.marshal")],
                  "code": [code.co_flags, code.co_code.hex(), repr(code.co_consts)]}))
"""


def probe(cache, **env) -> dict:
    return run_probe(PROBE, cache, **env)


def test_the_first_start_fills_the_cache_and_the_next_compiles_nothing(tmp_path):
    first = probe(tmp_path)
    assert first["stats"]["misses"] > 500 and first["stats"]["hits"] == 0
    assert len(first["files"]) == 1
    second = probe(tmp_path)
    assert second["stats"] == {"hits": first["stats"]["misses"], "misses": 0}
    # The classes built from cached code behave exactly like freshly compiled ones, and
    # the code is what attrs compiles without the cache (its __future__ features, not
    # those of the module that stands in for compile()).
    assert second["eq"] is True and second["repr"] == first["repr"]
    without = probe(tmp_path / "off", AGENTLS_NO_STARTUP_CACHE="1")
    assert second["code"] == first["code"] == without["code"]


def test_a_damaged_cache_file_is_replaced_not_fatal(tmp_path):
    name = probe(tmp_path)["files"][0]
    (tmp_path / name).write_bytes(b"\x00garbage")
    again = probe(tmp_path)
    assert again["stats"]["hits"] == 0 and again["eq"] is True
    assert probe(tmp_path)["stats"]["misses"] == 0


def test_an_unwritable_cache_folder_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = probe(blocker / "cache")
    assert out["eq"] is True and out["stats"]["misses"] > 500


def test_the_cache_can_be_turned_off(tmp_path):
    out = probe(tmp_path, AGENTLS_NO_STARTUP_CACHE="1")
    assert out["stats"] == {"hits": 0, "misses": 0} and out["files"] == []


CATTRS_PROBE = """
import json
import agentls.lsp  # installs the cache for cattrs' generated code
import agentls.lsp.startup as startup
from lsprotocol import types
from pygls.protocol import default_converter
params = {"processId": 1, "rootUri": None, "capabilities": {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {"publishDiagnostics": {"versionSupport": True}, "hover": {"contentFormat": ["markdown"]}}}}
converter = default_converter()
structured = converter.structure(params, types.InitializeParams)
result = types.InitializeResult(capabilities=types.ServerCapabilities(
    hover_provider=True, position_encoding=types.PositionEncodingKind.Utf16))
back, unstructured = converter.unstructure(structured), converter.unstructure(result)
stats = startup.CATTRS["table"].stats() if startup.CATTRS else None
print(json.dumps({"stats": stats, "repr": repr(structured), "back": back, "result": unstructured}))
"""


def cattrs_probe(cache, **env) -> dict:
    return run_probe(CATTRS_PROBE, cache, **env)


def test_cattrs_generated_code_is_kept_at_exit_and_reused_by_the_next_start(tmp_path):
    first = cattrs_probe(tmp_path)
    assert first["stats"]["misses"] > 10  # (a few snippets come twice in one run: hits)
    second = cattrs_probe(tmp_path)
    assert second["stats"] == {"hits": first["stats"]["misses"] + first["stats"]["hits"], "misses": 0}
    # What the reused functions read and write is what freshly generated ones did.
    assert {k: second[k] for k in ("repr", "back", "result")} == {k: first[k] for k in ("repr", "back", "result")}
    assert second["result"] == {"capabilities": {"positionEncoding": "utf-16", "hoverProvider": True}}


def test_cattrs_code_cache_can_be_turned_off(tmp_path):
    out = cattrs_probe(tmp_path, AGENTLS_NO_STARTUP_CACHE="1")
    assert out["stats"] is None and not list(tmp_path.glob("cattrs-code-*"))
