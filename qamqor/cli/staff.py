"""`qamqor staff create|password`: staff accounts for the admin panel. The password is typed at a prompt (twice)
or read from standard input with --password-stdin (one line), never from the command line, where other users of
the machine and the shell history would see it."""

from __future__ import annotations

import argparse
import getpass
import sys

from admin import accounts
from core.db.enums import StaffRole
from core.services.errors import ServiceError
from qamqor.cli.common import UsageError, parse_enum
from qamqor.runtime import Runtime
from qamqor.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("staff", help="staff accounts of the admin panel")
    actions = parser.add_subparsers(dest="staff_command", required=True)

    create = actions.add_parser("create", help="add a staff account")
    create.add_argument("--login", required=True)
    create.add_argument("--role", required=True, help="admin, department or organisation")
    create.add_argument("--department-id", type=int, help="the department a department account works for")
    create.add_argument("--organisation-id", type=int, help="the organisation an organisation account works for")
    create.add_argument("--language", default="ru", choices=["ru", "kk"], help="panel language (default ru)")
    create.add_argument("--full-name", default="")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(handler=_create)

    password = actions.add_parser("password", help="set a new password (also lifts a lockout)")
    password.add_argument("--login", required=True)
    password.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    password.set_defaults(handler=_password)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise UsageError("the two passwords differ")
    return first


def _create(args: argparse.Namespace) -> int:
    role = parse_enum(StaffRole, args.role, "--role")
    password = read_password(args.password_stdin)
    runtime = Runtime(Settings())
    try:
        with runtime.context() as ctx:
            user = accounts.create_staff(
                ctx,
                args.login,
                password,
                role,
                department_id=args.department_id,
                organisation_id=args.organisation_id,
                language=args.language,
                full_name=args.full_name,
            )
            login = user.login
    except ServiceError as error:
        raise UsageError(str(error)) from None
    finally:
        runtime.dispose()
    print(f"Staff account '{login}' ({role.value}) created. Sign in at /admin.")
    return 0


def _password(args: argparse.Namespace) -> int:
    password = read_password(args.password_stdin)
    runtime = Runtime(Settings())
    try:
        with runtime.context() as ctx:
            accounts.set_password(ctx, args.login, password)
    except ServiceError as error:
        raise UsageError(str(error)) from None
    finally:
        runtime.dispose()
    print(f"Password of '{args.login.strip().lower()}' changed.")
    return 0
