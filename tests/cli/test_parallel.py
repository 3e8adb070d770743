"""``agentls check`` in worker processes reports exactly what a serial check reports.

The corpus has agents sharing names across plugins (cross-file findings whose related
locations come from other workers' files), mojibake and CRLF files (fixes with edits),
skills and commands: every report format must come out byte for byte the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from agentls.cli import parallel
from agentls.cli.main import check_paths
from agentls.cli.reports import line_hash, render

CORPUS = Path(__file__).parent.parent / "data" / "corpus"

pytestmark = pytest.mark.skipif(parallel.workers_for(2, 1000) < 2, reason="worker processes need fork (Linux)")


@pytest.fixture(scope="module")
def serial():
    return check_paths([str(CORPUS)], root=str(CORPUS), jobs=1)


@pytest.mark.parametrize("jobs", [2, 3])
@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
def test_workers_report_what_a_serial_check_reports(serial, jobs, fmt):
    forked = check_paths([str(CORPUS)], root=str(CORPUS), jobs=jobs)
    assert [r.path for r in forked] == [r.path for r in serial]
    assert any(type(r.doc).__name__ == "Source" for r in forked), "no file was checked in a worker"
    assert render(forked, fmt, root=str(CORPUS)) == render(serial, fmt, root=str(CORPUS))


def test_baseline_fingerprints_do_not_depend_on_workers(serial):
    forked = check_paths([str(CORPUS)], root=str(CORPUS), jobs=2)

    def hashes(results):
        return [(r.display, f.code, line_hash(r, f)) for r in results for f in r.findings]

    assert hashes(forked) == hashes(serial) and hashes(serial)


def test_a_failing_worker_falls_back_to_a_serial_check(serial, monkeypatch, caplog):
    parent = os.getpid()
    real = parallel._parse

    def parse_or_die_in_a_worker(run, files, share):
        if os.getpid() != parent:
            raise RuntimeError("worker crashed")
        return real(run, files, share)

    monkeypatch.setattr(parallel, "_parse", parse_or_die_in_a_worker)
    with caplog.at_level("WARNING", logger="agentls.cli.parallel"):
        results = check_paths([str(CORPUS)], root=str(CORPUS), jobs=2)
    assert not any(type(r.doc).__name__ == "Source" for r in results)
    assert render(results, "json") == render(serial, "json")
    assert "worker crashed" in caplog.text  # the worker's traceback, on stderr


@pytest.mark.parametrize(("jobs", "files", "expected"), [
    (1, 10_000, 1),  # asked for none
    (0, parallel.MIN_FILES - 1, 1),  # automatic: too few files to pay for a fork
    (4, 3, 3),  # never more workers than files
])
def test_worker_count(jobs, files, expected):
    assert parallel.workers_for(jobs, files) == expected


def test_automatic_workers_follow_the_cores(monkeypatch):
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert parallel.workers_for(0, 10_000) == 2
    monkeypatch.setattr(parallel, "cores", lambda: 64)
    assert parallel.workers_for(0, 10_000) == parallel.MAX_WORKERS


def test_the_command_line_output_does_not_depend_on_jobs(tmp_path):
    def run(jobs: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "agentls.cli.main", "check", "--format", "json", "-j", jobs, "."],
                              cwd=CORPUS, capture_output=True, text=True)

    one, two = run("1"), run("2")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout and one.stdout.startswith("[")
    assert two.stderr == ""


def test_jobs_must_be_a_count():
    bad = subprocess.run([sys.executable, "-m", "agentls.cli.main", "check", "-j", "many", str(CORPUS)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "not a number" in bad.stderr
