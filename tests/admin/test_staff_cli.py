"""`qamqor staff create|password` and the demo accounts of `qamqor setup`: passwords from a prompt or stdin only,
argon2 hashes in the database, and the printed demo password signs in to the panel."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from admin.passwords import verify_password
from core.db.engine import make_engine
from qamqor.app import create_app
from qamqor.cli import main
from qamqor.settings import Settings
from tests.admin.panel_world import Staff
from tests.conftest import LiveServer


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _accounts(data_dir) -> dict[str, tuple[str, str, int | None, int | None]]:
    engine = make_engine(f"sqlite:///{data_dir / 'qamqor.db'}")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT login, role, password_hash, department_id, organisation_id FROM staff_user")
        ).all()
    engine.dispose()
    return {row[0]: (row[1], row[2], row[3], row[4]) for row in rows}


def test_setup_creates_demo_staff_once_and_the_printed_password_signs_in(data_dir, capsys):
    assert main(["setup"]) == 0
    out = capsys.readouterr().out
    passwords = dict(re.findall(r"login (\S+)\s+password (\S+)", out))
    assert set(passwords) == {"admin", "demo.department", "demo.organisation"}
    stored = _accounts(data_dir)
    for login, password in passwords.items():
        assert password not in str(stored[login]) and verify_password(stored[login][1], password)
    assert stored["demo.department"][2] is not None and stored["demo.organisation"][3] is not None

    assert main(["setup"]) == 0
    assert "password" not in capsys.readouterr().out  # shown once, never again

    with LiveServer(create_app(Settings())) as server:
        staff = Staff(server.url)
        assert staff.sign_in("admin", passwords["admin"]).status_code == 302
        assert staff.get("/admin/organisation/list").status_code == 200


def test_staff_create_reads_the_password_from_stdin(data_dir, monkeypatch, capsys):
    assert main(["setup", "--no-demo"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-secret\n"))
    assert main(["staff", "create", "--login", "Aliya", "--role", "admin", "--password-stdin", "--language", "kk"]) == 0
    assert "Staff account 'aliya' (admin) created" in capsys.readouterr().out
    role, password_hash, _, _ = _accounts(data_dir)["aliya"]
    assert role == "admin" and verify_password(password_hash, "a-long-enough-secret")


@pytest.mark.parametrize(
    ("arguments", "password", "message"),
    [
        (["--role", "department"], "a-long-enough-secret", "needs --department-id"),
        (["--role", "department", "--department-id", "999"], "a-long-enough-secret", "no such department"),
        (["--role", "admin", "--organisation-id", "1"], "a-long-enough-secret", "sees everything"),
        (["--role", "chief"], "a-long-enough-secret", "unknown value 'chief'"),
        (["--role", "admin"], "short", "at least 10 characters"),
    ],
)
def test_staff_create_refuses_bad_input_in_one_line(data_dir, monkeypatch, capsys, arguments, password, message):
    assert main(["setup", "--no-demo"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    assert main(["staff", "create", "--login", "someone", *arguments, "--password-stdin"]) == 2
    assert message in capsys.readouterr().err
    assert "someone" not in _accounts(data_dir)


def test_staff_create_refuses_a_taken_login_and_password_resets_a_lockout(data_dir, monkeypatch, capsys):
    assert main(["setup", "--no-demo"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password-1\n"))
    assert main(["staff", "create", "--login", "ops", "--role", "admin", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("first-password-1\n"))
    assert main(["staff", "create", "--login", "OPS", "--role", "admin", "--password-stdin"]) == 2
    assert "taken" in capsys.readouterr().err
    engine = make_engine(f"sqlite:///{data_dir / 'qamqor.db'}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE staff_user SET failed_logins = 3, locked_until = '2999-01-01 00:00:00'"))
    monkeypatch.setattr("sys.stdin", io.StringIO("second-password-2\n"))
    assert main(["staff", "password", "--login", "ops", "--password-stdin"]) == 0
    with engine.connect() as connection:
        row = connection.execute(sa.text("SELECT failed_logins, locked_until, password_hash FROM staff_user")).one()
    engine.dispose()
    assert row[0] == 0 and row[1] is None and verify_password(row[2], "second-password-2")


def test_the_password_is_never_an_argument():
    from qamqor.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["staff", "create", "--login", "x", "--role", "admin", "--password", "secret"])
