"""Every notice kind a service writes has a text, so no family's notice fails as 'unknown kind' in production."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.notice_texts import KNOWN_KINDS

SERVICES = Path(__file__).resolve().parents[2] / "core" / "services"


def _module_constants(tree: ast.Module) -> dict[str, str]:
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value
    return constants


def kinds_written_by_services() -> set[str]:
    kinds: set[str] = set()
    for path in SERVICES.glob("*.py"):
        tree = ast.parse(path.read_text())
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "notify" or len(node.args) < 3:
                continue
            kind = node.args[2]
            if isinstance(kind, ast.Constant):
                kinds.add(kind.value)
            elif isinstance(kind, ast.IfExp):
                kinds.update(part.value for part in (kind.body, kind.orelse) if isinstance(part, ast.Constant))
            elif isinstance(kind, ast.Name) and kind.id in constants:
                kinds.add(constants[kind.id])
    return kinds


def test_every_kind_the_services_notify_has_a_text() -> None:
    written = kinds_written_by_services()
    assert {"submitted", "offer", "postponement_declined"} <= written  # the scan itself works
    assert written - KNOWN_KINDS == set()
