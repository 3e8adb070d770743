"""The licence: a LICENSE at the root, declared in SPDX form and shipped in the wheel and sdist."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_licence_is_an_spdx_expression_with_its_file():
    project = _pyproject()["project"]
    # A table (`{ text = "MIT" }`) is deprecated since PEP 639; the file must be named.
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_the_build_backend_understands_license_files():
    # setuptools reads `license-files` and an SPDX `license` string from 77.0 on; an older
    # one rejects the string (or ignores the list) and the licence is not shipped.
    requires = _pyproject()["build-system"]["requires"]
    (spec,) = [r for r in requires if r.startswith("setuptools")]
    m = re.fullmatch(r"setuptools>=(\d+)(\.\d+)*", spec.replace(" ", ""))
    assert m is not None and int(m.group(1)) >= 77, spec


@pytest.mark.slow
def test_wheel_and_sdist_contain_the_licence(tmp_path):
    """Builds both with the backend pyproject.toml asks for (installed from the package index)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "server", src / "server",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    requires = _pyproject()["build-system"]["requires"]
    subprocess.run([py, "-m", "pip", "install", "-q", *requires], check=True)
    out = tmp_path / "out"
    out.mkdir()

    def build(hook: str) -> str:  # one process per hook, as a build frontend does
        code = f"import sys, setuptools.build_meta as b; print('built', b.{hook}(sys.argv[1]))"
        done = subprocess.run([py, "-c", code, str(out)], cwd=src, check=True, capture_output=True, text=True)
        return done.stdout.splitlines()[-1].split()[1]

    wheel_name, sdist_name = build("build_wheel"), build("build_sdist")
    dist = f"agentls-{_pyproject()['project']['version']}"
    with zipfile.ZipFile(out / wheel_name) as whl:
        assert f"{dist}.dist-info/licenses/LICENSE" in whl.namelist()
        metadata = whl.read(f"{dist}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata.splitlines()
    with tarfile.open(out / sdist_name) as sdist:
        assert f"{dist}/LICENSE" in sdist.getnames()
