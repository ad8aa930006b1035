"""The image holds everything the app reads at run time (no Docker daemon in CI, so this checks the recipe)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copied_paths() -> set[str]:
    text = (ROOT / "Dockerfile").read_text()
    paths: set[str] = set()
    for line in text.splitlines():
        if line.startswith("COPY "):
            parts = [part for part in line.split()[1:] if not part.startswith("--")]
            paths.update(parts[:-1])
    return paths


def test_the_image_copies_every_package_and_runtime_file() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {pattern.rstrip("*") for pattern in config["tool"]["setuptools"]["packages"]["find"]["include"]}
    needed = packages | {"migrations", "locales", "alembic.ini", "pyproject.toml"}
    assert needed <= copied_paths()


def test_the_image_migrates_then_serves_as_an_unprivileged_user() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", text, re.MULTILINE)
    assert "qamqor db upgrade && exec qamqor serve" in text
    assert "QAMQOR_HOST=0.0.0.0" in text
