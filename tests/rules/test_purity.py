"""core/rules is pure: standard library and core.rules only, and no clock (the date is passed in).

Every module under core/rules is parsed (not imported) and checked. core/calendar_kz.py, the adapter over the
`holidays` package, lives outside core/rules on purpose and is not checked here.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "core" / "rules"
PURE_PACKAGE = "core.rules"
# Reading the clock inside the rules would make them untestable and wrong across time zones.
CLOCK_CALLS = frozenset(
    {
        "date.today",
        "datetime.today",
        "datetime.now",
        "datetime.utcnow",
        "datetime.date.today",
        "datetime.datetime.today",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "time.time",
        "time.time_ns",
    }
)
CLOCK_FUNCTIONS_FROM_TIME = frozenset({"time", "time_ns"})


def _allowed_module(module: str) -> bool:
    top = module.split(".")[0]
    if top == "core":
        return module == PURE_PACKAGE or module.startswith(PURE_PACKAGE + ".")
    return top in sys.stdlib_module_names


def _dotted(node: ast.expr) -> str:
    """`datetime.date.today` for the call target `datetime.date.today`; "" when it is not a plain dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def violations(path: str, source: str) -> list[str]:
    """One line per forbidden import or clock call, naming the file, the line and what it imports or calls."""
    nodes = list(ast.walk(ast.parse(source, filename=path)))
    return _import_violations(path, nodes) + _clock_violations(path, nodes)


def _import_violations(path: str, nodes: list[ast.AST]) -> list[str]:
    found: list[tuple[int, str]] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if not _allowed_module(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, node.module)] if not _allowed_module(node.module) else []
    return [f"{path}:{line}: imports '{name}' (only the standard library and {PURE_PACKAGE})" for line, name in found]


def _clock_violations(path: str, nodes: list[ast.AST]) -> list[str]:
    # `from time import time` makes a bare `time()` a clock call.
    from_time = {
        alias.asname or alias.name
        for node in nodes
        if isinstance(node, ast.ImportFrom) and node.module == "time"
        for alias in node.names
        if alias.name in CLOCK_FUNCTIONS_FROM_TIME
    }
    calls = [(node.lineno, _dotted(node.func)) for node in nodes if isinstance(node, ast.Call)]
    return [
        f"{path}:{line}: calls {name}() (pass the date in)"
        for line, name in calls
        if name in CLOCK_CALLS or name in from_time
    ]


def _rules_modules() -> list[Path]:
    return sorted(RULES.rglob("*.py"))


def test_rules_package_found() -> None:
    assert (RULES / "codes.py") in _rules_modules()


@pytest.mark.parametrize("path", _rules_modules(), ids=lambda path: str(path.relative_to(RULES)))
def test_rules_module_is_pure(path: Path) -> None:
    problems = violations(str(path.relative_to(RULES.parents[1])), path.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


# The checker itself: a purity test that cannot fail would prove nothing.
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("import holidays", ["x.py:1: imports 'holidays' (only the standard library and core.rules)"],
                     id="third_party_import"),
        pytest.param("from sqlmodel import Field", ["x.py:1: imports 'sqlmodel' (only the standard library and "
                     "core.rules)"], id="orm_from_import"),
        pytest.param("from core.calendar_kz import kazakhstan_calendar", ["x.py:1: imports 'core.calendar_kz' "
                     "(only the standard library and core.rules)"], id="core_outside_rules"),
        pytest.param("import core.db", ["x.py:1: imports 'core.db' (only the standard library and core.rules)"],
                     id="core_db"),
        pytest.param("from datetime import date\n\nx = date.today()", ["x.py:3: calls date.today() (pass the date "
                     "in)"], id="date_today"),
        pytest.param("import datetime\nx = datetime.datetime.now()", ["x.py:2: calls datetime.datetime.now() (pass "
                     "the date in)"], id="datetime_now"),
        pytest.param("import time\nx = time.time()", ["x.py:2: calls time.time() (pass the date in)"],
                     id="time_time"),
        pytest.param("from time import time as clock\nx = clock()", ["x.py:2: calls clock() (pass the date in)"],
                     id="time_imported_by_name"),
        pytest.param("from __future__ import annotations\nimport datetime\nfrom dataclasses import dataclass\n"
                     "from core.rules.codes import Form\nfrom core.rules import legal\nfrom . import dates\n"
                     "x = datetime.date(2026, 1, 1)", [], id="stdlib_and_core_rules_allowed"),
    ],
)  # fmt: skip
def test_purity_checker(source: str, expected: list[str]) -> None:
    assert violations("x.py", source) == expected
