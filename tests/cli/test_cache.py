"""The content cache of ``agentls check`` (issue 17; :mod:`agentls.cli.cache`).

A repeat run on an unchanged tree reports exactly what a run without the cache reports,
without parsing a file; any change to what a file's findings depend on (its bytes, its
settings, agentls' version, its facts, the workspace index that cross-file rules read)
checks it again. Two runs at once, and a corrupt cache, give correct output.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from agentls.cli import cache as content_cache
from cli_helpers import CLEAN, UNKNOWN_TOOL, agentls_command, codes, write


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """The cache folder of this test (``AGENTLS_CACHE_DIR``), and no ``AGENTLS_NO_CACHE``."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("AGENTLS_CACHE_DIR", str(folder))
    monkeypatch.delenv("AGENTLS_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def parses(monkeypatch):
    """The paths the cached check parsed, in order."""
    seen: list[str] = []
    real = content_cache._parse

    def counting(data, path, kind):
        seen.append(Path(path).name)
        return real(data, path, kind)

    monkeypatch.setattr(content_cache, "_parse", counting)
    return seen


def check_json(run, root: Path, *args: str) -> list:
    code, out, err = run(["--format", "json", *args, "."], cwd=root)
    assert code in (0, 1), err
    return codes(out)


def test_a_repeat_run_parses_nothing_and_reports_the_same(run, project, cached, parses):
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo")})
    first = check_json(run, project)
    assert sorted(parses) == ["clean.md", "typo.md"]
    parses.clear()
    assert check_json(run, project) == first == check_json(run, project, "--no-cache")
    assert parses == []
    assert [c for _, c, _ in first] == ["AGT400"]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_report_format_is_the_same_from_the_cache(run, project, cached, fmt):
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo"),
                    ".claude/agents/dup.md": CLEAN.format(name="clean")})
    runs = [run(["--format", fmt, *extra, "."], cwd=project) for extra in ([], [], ["--no-cache"])]
    assert runs[0] == runs[1] == runs[2]


def test_a_changed_file_is_checked_again_and_only_it(run, project, cached, parses):
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo")})
    check_json(run, project)
    parses.clear()
    write(project, {".claude/agents/typo.md": CLEAN.format(name="typo")})
    assert check_json(run, project) == []
    assert parses == ["typo.md"]


def test_settings_are_part_of_the_key(run, project, cached, parses):
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo")})
    assert [c for _, c, _ in check_json(run, project)] == ["AGT400"]
    # the command line's settings
    assert check_json(run, project, "--ignore", "AGT400") == []
    # the configuration file's
    write(project, {"pyproject.toml": '[tool.agentls]\nignore = ["unknown-tool"]\n'})
    assert check_json(run, project) == []
    write(project, {"pyproject.toml": '[tool.agentls]\nextend-tools = ["Grepp"]\n'})
    assert check_json(run, project) == []
    write(project, {"pyproject.toml": "[tool.agentls]\n"})
    parses.clear()
    assert [c for _, c, _ in check_json(run, project)] == ["AGT400"]
    assert sorted(parses) == ["clean.md", "typo.md"]  # one entry per file: the last settings'
    parses.clear()
    write(project, {"pyproject.toml": "[tool.agentls]\n# a comment changes nothing\n"})
    check_json(run, project)
    assert parses == []  # the settings' content is the key, not the file's stamp


def test_settings_keys_do_not_depend_on_the_run():
    from agentls.engine.project import FileSettings
    from agentls.rules.context import Extensions
    from agentls.rules.registry import RuleSettings, Severity

    def settings(order):
        rules = RuleSettings(set(order), {c: Severity.ERROR for c in reversed(order)})
        return FileSettings(rules, Extensions(tools=frozenset(order)), False, stamp=object())

    assert content_cache.settings_key(settings(["AGT400", "AGT210"])) == \
        content_cache.settings_key(settings(["AGT210", "AGT400"]))
    assert content_cache.settings_key(settings(["AGT400"])) != content_cache.settings_key(settings(["AGT210"]))


@pytest.mark.parametrize("change", ["agentls version", "facts version", "a source file"])
def test_a_new_agentls_checks_everything_again(run, project, cached, parses, monkeypatch, change):
    check_json(run, project)
    parses.clear()
    check_json(run, project)
    assert parses == []
    if change == "agentls version":
        import agentls

        monkeypatch.setattr(agentls, "__version__", agentls.__version__ + ".post1")
    elif change == "facts version":
        from agentls.facts import versions

        monkeypatch.setattr(versions, "CLAUDE_CODE_VERSION", versions.CLAUDE_CODE_VERSION + "9")
    else:
        real = content_cache.code_stamp

        monkeypatch.setattr(content_cache, "code_stamp", lambda: real() + "edited")
    check_json(run, project)
    assert parses == ["clean.md"]


def test_cross_file_findings_follow_the_other_files(run, project, cached, parses):
    """An unchanged file's duplicate-name and unknown-skill findings change when another
    file does: the entries are keyed by the workspace index too."""
    write(project, {".claude/agents/other.md": CLEAN.format(name="other"),
                    ".claude/agents/user.md": CLEAN.format(name="user").replace(
                        "model: sonnet\n", "model: sonnet\nskills: [api]\n"),
                    ".claude/skills/web/SKILL.md": "---\nname: web\ndescription: Web things.\n---\n"})
    assert ("user.md", "AGT702") in [(Path(p).name, c) for p, c, _ in check_json(run, project)]
    # a second agent takes the clean agent's name: both are duplicates, clean.md unchanged
    write(project, {".claude/agents/other.md": CLEAN.format(name="clean")})
    found = [(Path(p).name, c) for p, c, _ in check_json(run, project)]
    assert ("clean.md", "AGT700") in found and ("other.md", "AGT700") in found
    # the skill appears: the unchanged agent's finding goes
    write(project, {".claude/skills/api/SKILL.md": "---\nname: api\ndescription: API things.\n---\n"})
    found = [(Path(p).name, c) for p, c, _ in check_json(run, project)]
    assert ("user.md", "AGT702") not in found
    assert found == [(Path(p).name, c) for p, c, _ in check_json(run, project, "--no-cache")]


def test_no_cache_reads_and_writes_nothing(run, project, cached, parses, monkeypatch):
    check_json(run, project, "--no-cache")
    assert not cached.exists()
    monkeypatch.setenv("AGENTLS_NO_CACHE", "1")
    check_json(run, project)
    assert not cached.exists()
    monkeypatch.delenv("AGENTLS_NO_CACHE")
    check_json(run, project)
    assert cached.exists()
    parses.clear()
    check_json(run, project, "--no-cache")
    assert parses == []  # without the cache, the plain check runs (not the cache's parse)


def test_fixes_never_use_the_cache(run, project, cached):
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo")})
    check_json(run, project)
    code, out, err = run(["--diff", "."], cwd=project)
    assert code in (0, 1), err


def test_the_cache_folder_is_ignored_by_git(run, project, monkeypatch):
    monkeypatch.delenv("AGENTLS_CACHE_DIR", raising=False)
    monkeypatch.delenv("AGENTLS_NO_CACHE", raising=False)
    check_json(run, project)
    folder = project / ".agentls_cache"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project,
                            capture_output=True, text=True, check=True).stdout
    assert ".agentls_cache" not in status and ".claude/agents/clean.md" in status
    # and agentls' own discovery never reads it
    assert check_json(run, project) == check_json(run, project, "--no-cache")


def shards(folder: Path) -> list[Path]:
    return sorted(folder.glob("check-*/*.pickle"))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign class", "wrong layout"])
def test_a_corrupt_cache_is_ignored_and_written_again(run, project, cached, parses, damage):
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo")})
    first = check_json(run, project)
    for shard in shards(cached):
        data = shard.read_bytes()
        if damage == "garbage":
            shard.write_bytes(b"\x80\x05not a pickle at all")
        elif damage == "truncated":
            shard.write_bytes(data[: len(data) // 2])
        elif damage == "empty":
            shard.write_bytes(b"")
        elif damage == "foreign class":  # never unpickled: it would run code
            shard.write_bytes(pickle.dumps({"stamp": shard.parent.name[6:], "entries": os.system}))
        else:
            shard.write_bytes(pickle.dumps({"stamp": shard.parent.name[6:], "entries": {"x": 1}}))
    parses.clear()
    assert check_json(run, project) == first
    assert sorted(parses) == ["clean.md", "typo.md"]
    parses.clear()
    assert check_json(run, project) == first  # the shards were written again, readable
    assert parses == []


def test_a_damaged_entry_is_not_trusted(run, project, cached, parses):
    """An entry whose keys do not match (here: another content digest) is checked again."""
    check_json(run, project)
    for shard in shards(cached):
        data = pickle.loads(shard.read_bytes())
        data["entries"] = {p: (b"0" * 16, *e[1:]) for p, e in data["entries"].items()}
        shard.write_bytes(pickle.dumps(data))
    parses.clear()
    check_json(run, project)
    assert parses == ["clean.md"]


@pytest.mark.parametrize("damage", ["missing", "garbage"])
def test_a_lost_index_record_is_read_again(run, project, cached, parses, damage):
    """The index records (what each file adds to the index) are kept beside the entries
    and read only when a file is linted; an unchanged file whose record is lost is parsed
    again, and the findings are those of a check without the cache."""
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo"),
                    ".claude/agents/other.md": CLEAN.format(name="clean")})  # a duplicate of clean.md
    check_json(run, project)
    for shard in shards(cached):
        data = pickle.loads(shard.read_bytes())
        data["records"] = pickle.dumps({}) if damage == "missing" else b"\x80\x05not a pickle"
        shard.write_bytes(pickle.dumps(data))
    parses.clear()
    write(project, {".claude/agents/typo.md": CLEAN.format(name="typo")})  # the index is unchanged
    found = check_json(run, project)
    assert found == check_json(run, project, "--no-cache")
    assert sorted(parses) == ["clean.md", "other.md", "typo.md"]
    assert {(Path(p).name, c) for p, c, _ in found} == {("clean.md", "AGT700"), ("other.md", "AGT700")}
    parses.clear()
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo")})
    assert check_json(run, project) == check_json(run, project, "--no-cache")
    assert parses == ["typo.md"]  # the records were written again


def test_parallel_workers_fill_the_cache(run, project, cached, parses):
    write(project, {f".claude/agents/a{i}.md": (UNKNOWN_TOOL if i % 2 else CLEAN).format(name=f"a{i}")
                    for i in range(12)})
    first = check_json(run, project, "-j", "2")
    parses.clear()
    assert check_json(run, project, "-j", "1") == first == check_json(run, project, "--no-cache", "-j", "1")
    assert parses == []


def test_unreadable_and_unparsable_files_are_reported_as_without_cache(run, project, cached, monkeypatch):
    write(project, {".claude/agents/bad.md": b"---\nname: bad\x00\xff\n---\n"})
    assert check_json(run, project) == check_json(run, project) == check_json(run, project, "--no-cache")


def test_two_runs_at_once_give_the_same_output_and_a_readable_cache(project, tmp_path):
    """Two processes check one tree with one cache at the same time, three times over."""
    write(project, {f".claude/agents/a{i}.md": (UNKNOWN_TOOL if i % 3 else CLEAN).format(name=f"a{i % 7}")
                    for i in range(40)})
    folder = tmp_path / "shared-cache"
    env = {**os.environ, "AGENTLS_CACHE_DIR": str(folder), "NO_COLOR": "1"}
    env.pop("AGENTLS_NO_CACHE", None)
    command = [*agentls_command(), "check", "--format", "json", "."]
    expected = subprocess.run([*command, "--no-cache"], cwd=project, capture_output=True, text=True,
                              env=env, timeout=120).stdout
    assert json.loads(expected)
    for round_ in range(3):
        if round_ == 2:  # a change between rounds: both runs at once check it again
            write(project, {".claude/agents/a1.md": CLEAN.format(name="a1")})
            expected = subprocess.run([*command, "--no-cache"], cwd=project, capture_output=True, text=True,
                                      env=env, timeout=120).stdout
        procs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=env) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        for out, err in outs:
            assert out == expected, err
    for shard in shards(folder):
        data = content_cache._Unpickler(shard.open("rb")).load()
        assert set(data) == {"stamp", "entries", "records"}
        # Each entry's index record is the one its digest names: the two came from one run.
        records = content_cache._Unpickler(io.BytesIO(data["records"])).load()
        assert set(records) == set(data["entries"])
        for path, entry in data["entries"].items():
            assert content_cache._record(content_cache._unrecord(records[path]))[0] == entry[3]
    assert not list(folder.glob("**/*.tmp"))
    again = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=120)
    assert again.stdout == expected



@pytest.mark.parametrize("settled", [True, False])
def test_an_edit_of_the_same_size_is_seen(run, project, cached, parses, monkeypatch, settled):
    """A file's status (size, times, inode) stands for its content only once it has settled
    (``SETTLED_NS``, as git's index); an edit changes its change time all the same."""
    if settled:
        monkeypatch.setattr(content_cache, "SETTLED_NS", 0)
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo")})
    assert [c for _, c, _ in check_json(run, project)] == ["AGT400"]
    parses.clear()
    assert [c for _, c, _ in check_json(run, project)] == ["AGT400"]
    assert parses == []
    path = project / ".claude/agents/typo.md"
    before = path.stat()
    path.write_text(UNKNOWN_TOOL.format(name="typo").replace("Grepp", "Grep "), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # even with its old time
    assert path.stat().st_size == before.st_size
    assert check_json(run, project) == []
    assert parses == ["typo.md"]


@pytest.mark.parametrize("args", [["--format", "text"], ["--format", "sarif"], ["--format", "github"],
                                  ["--statistics"], ["--format", "json", "--fail-on", "warning"]])
def test_a_fresh_process_reports_cached_findings_as_a_check_does(project, tmp_path, args):
    """A run from cached entries alone has not loaded the rules, which the reports read."""
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo"),
                    ".claude/agents/dup.md": CLEAN.format(name="clean")})
    env = {**os.environ, "AGENTLS_CACHE_DIR": str(tmp_path / "c"), "NO_COLOR": "1"}
    env.pop("AGENTLS_NO_CACHE", None)

    def check(*extra):
        proc = subprocess.run([*agentls_command(), "check", *args, *extra, "."], cwd=project, capture_output=True,
                              text=True, env=env, timeout=120, check=False)
        return proc.returncode, proc.stdout, proc.stderr

    cold = check("--no-cache")
    assert cold[1] and cold[0] == (1 if "warning" in args else 0)
    assert check() == cold  # fills the cache
    assert check() == cold  # from it


@pytest.mark.parametrize("damage", [None, b"", b"\x80\x05not a pickle", "foreign class"])
def test_cached_findings_are_reported_without_importing_the_rules(project, tmp_path, damage):
    """The cache keeps the rules' records (``rules.bin``): a run of cached findings
    imports neither the rule families nor the document layers (issue 17: the pre-commit
    hook's start-up); a damaged or foreign record file costs only the families' import."""
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo")})
    env = {**os.environ, "AGENTLS_CACHE_DIR": str(tmp_path / "c"), "NO_COLOR": "1"}
    env.pop("AGENTLS_NO_CACHE", None)
    probe = ("import io, sys, contextlib; from agentls.cli.main import main\n"
             "out = io.StringIO()\n"
             "with contextlib.redirect_stdout(out): main(['check', '--format', 'json', '.'])\n"
             "heavy = [m for m in ('agentls.rules.keys', 'agentls.rules.tools', 'agentls.core.document', "
             "'agentls.rules.lint', 'yaml') if m in sys.modules]\n"
             "print(out.getvalue() + '\\n' + repr(heavy))")

    def check():
        proc = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True,
                              env=env, timeout=120, check=True)
        report, heavy = proc.stdout.rstrip("\n").rsplit("\n", 1)
        return codes(report), heavy

    first, _ = check()  # fills the cache
    assert [c for _, c, _ in first] == ["AGT400"]
    (record,) = (tmp_path / "c").glob("check-*/rules.bin")
    if damage == "foreign class":  # never unpickled: it would run code
        record.write_bytes(pickle.dumps({"stamp": record.parent.name[6:], "rules": os.system}))
    elif damage is not None:
        record.write_bytes(damage)
    again, heavy = check()
    assert again == first
    assert (heavy == "[]") if damage is None else ("agentls.rules.keys" in heavy)


def test_a_changed_name_checks_every_file_again(run, project, cached, parses):
    """What cross-file rules read changed: every file's entry is stale (a body edit, above,
    re-checks its own file alone)."""
    write(project, {".claude/agents/other.md": CLEAN.format(name="other")})
    check_json(run, project)
    parses.clear()
    write(project, {".claude/agents/other.md": CLEAN.format(name="renamed")})
    check_json(run, project)
    assert sorted(parses) == ["clean.md", "other.md"]
    parses.clear()
    assert check_json(run, project) == check_json(run, project, "--no-cache")
    assert parses == []


def test_the_code_stamp_follows_the_sources_content_not_their_times(tmp_path, monkeypatch):
    """An edited checkout never reads a stale entry; a fresh install of the same release
    (new file times, elsewhere) reads the cache."""
    import shutil

    import agentls

    def stamp_of(folder: Path) -> str:
        monkeypatch.setattr(agentls, "__file__", str(folder / "__init__.py"))
        return content_cache.code_stamp()

    here = Path(agentls.__file__).parent
    one, two = tmp_path / "one" / "agentls", tmp_path / "two" / "agentls"
    for copy in (one, two):
        shutil.copytree(here, copy, ignore=shutil.ignore_patterns("__pycache__"))
    os.utime(two / "cli" / "cache.py", ns=(1, 1))
    assert stamp_of(one) == stamp_of(two)
    (two / "rules" / "tools.py").write_text((two / "rules" / "tools.py").read_text() + "\n# edited\n")
    assert stamp_of(one) != stamp_of(two)


def test_a_cache_that_cannot_be_written_is_no_cache(run, project, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("AGENTLS_CACHE_DIR", str(blocked / "cache"))
    monkeypatch.delenv("AGENTLS_NO_CACHE", raising=False)
    write(project, {".claude/agents/typo.md": UNKNOWN_TOOL.format(name="typo")})
    assert check_json(run, project) == check_json(run, project) == check_json(run, project, "--no-cache")
