"""The permission matrix over real HTTP: each role x each view (list, detail, export, search), and forged ids of
records of another district and another organisation, on SQLite and PostgreSQL.

The world (tests/admin/panel_world.py) tags every record with the roles that may see it. For each cell the test
asserts what a signed-in staff member gets from the running app: the rows a list shows (by their detail links), the
rows a CSV export contains, 200 or 404 for the detail URL of every record, and what a search finds.

Extending the matrix (e.g. with the case actions):
- a new view: add its identity to VIEWS (or to ADMIN_ONLY_VIEWS), and tag its records in panel_world.build_world
  with `world.add(identity, key, row_id, roles)`;
- an action or any other route: add an ActionCell to ACTIONS. `path` is formatted with the world's ids, named
  `<identity>__<key>` (e.g. "/admin/case/{case__case_b}/work"); `data` is posted with the session's CSRF token
  when `method` is POST; `expect` is the status code the role must get (404 for a record outside its scope, never
  a hint that it exists). Actions change data: keep the expected status independent of order, or use the
  function-scoped `auth_server` fixtures in a test of your own.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pytest

from tests.admin.panel_world import ROLES, Staff, World

VIEWS = (
    "case",
    "person",
    "document",
    "queue-entry",
    "offer",
    "postponement",
    "organisation",
    "status-history",
    "audit-log",
    "inbox-message",
    "failed-reply",
    "outbox",
)
ADMIN_ONLY_VIEWS = ("staff-user",)
LIST_QUERY = {"pageSize": "100", "sortBy": "id", "sort": "asc"}


@dataclass(frozen=True)
class ActionCell:
    role: str
    method: str
    path: str
    expect: int
    data: dict[str, str] = field(default_factory=dict)


ACTIONS: list[ActionCell] = [
    # The scoped document download: a forged id of another district's document is a 404 like a missing one.
    ActionCell("admin", "GET", "/admin/document/file/{document__case_b}", 200),
    ActionCell("department_a", "GET", "/admin/document/file/{document__case_a}", 200),
    ActionCell("department_a", "GET", "/admin/document/file/{document__case_b}", 404),
    ActionCell("organisation_x", "GET", "/admin/document/file/{document__case_ax}", 200),
    ActionCell("organisation_x", "GET", "/admin/document/file/{document__case_a}", 404),
    ActionCell("organisation_x", "GET", "/admin/document/file/{document__case_b}", 404),
    ActionCell("organisation_x", "GET", "/admin/document/file/999999", 404),
    # sqladmin's own file routes read rows without the scope: closed for every row, in scope or not.
    ActionCell("admin", "GET", "/admin/document/{document__case_ax}/file_path/download/", 404),
    ActionCell("organisation_x", "GET", "/admin/document/{document__case_b}/file_path/preview/", 404),
    # No view of the panel edits through sqladmin's forms, so the form lookup is closed too.
    ActionCell("department_a", "GET", "/admin/person/ajax/lookup?name=person&term=Recipient", 403),
    # Nothing is deleted, created or edited through sqladmin's generic routes.
    ActionCell("admin", "DELETE", "/admin/case/delete?pks={case__case_b}", 403),
    ActionCell("admin", "GET", "/admin/case/edit/{case__case_b}", 403),
    ActionCell("admin", "POST", "/admin/case/edit/{case__case_b}", 403, {"status": "withdrawn"}),
    ActionCell("admin", "GET", "/admin/case/create", 403),
    # Case work (admin/actions.py): the workspace opens where the case is visible, 404 elsewhere.
    ActionCell("admin", "GET", "/admin/case/{case__case_b}/work", 200),
    ActionCell("department_a", "GET", "/admin/case/{case__case_a}/work", 200),
    ActionCell("department_a", "GET", "/admin/case/{case__case_bx}/work", 200),
    ActionCell("department_a", "GET", "/admin/case/{case__case_b}/work", 404),
    ActionCell("organisation_x", "GET", "/admin/case/{case__case_ax}/work", 200),
    ActionCell("organisation_x", "GET", "/admin/case/{case__case_a}/work", 404),
    ActionCell("organisation_x", "GET", "/admin/case/{case__case_b}/work", 404),
    ActionCell("organisation_x", "GET", "/admin/case/999999/work", 404),
    # A step outside the role's office is 403 on a visible case and 404 on an invisible one; nothing changes.
    ActionCell("organisation_x", "POST", "/admin/case/{case__case_ax}/step/decide", 403, {"outcome": "approve"}),
    ActionCell("organisation_x", "POST", "/admin/case/{case__case_ax}/step/notify", 403),
    ActionCell("organisation_x", "POST", "/admin/case/{case__case_a}/step/submit", 404),
    ActionCell("organisation_x", "POST", "/admin/case/{case__case_b}/step/admit", 404),
    ActionCell("organisation_x", "POST", "/admin/case/{case__case_bx}/step/admit", 403),  # in X's queue, not at X
    ActionCell("department_a", "POST", "/admin/case/{case__case_ax}/step/admit", 403),
    ActionCell("department_a", "POST", "/admin/case/{case__case_ax}/step/no_show", 403),
    ActionCell("department_a", "POST", "/admin/case/{case__case_bx}/step/notify", 403),  # district B's case
    ActionCell("department_a", "POST", "/admin/case/{case__case_b}/step/decide", 404, {"outcome": "refuse"}),
    ActionCell("department_a", "POST", "/admin/case/{case__case_a}/step/submit", 409),  # already submitted
    ActionCell("department_a", "POST", "/admin/case/{case__case_a}/step/no_such_step", 404),
    # Document review is the department's (App.1 p.6); a document of another case or district is a 404.
    ActionCell("organisation_x", "POST", "/admin/case/{case__case_ax}/document/{document__case_ax}", 403),
    ActionCell("department_a", "POST", "/admin/case/{case__case_b}/document/{document__case_b}", 404),
    ActionCell("department_a", "POST", "/admin/case/{case__case_a}/document/{document__case_b}", 404),
    # A moved arrival date is reviewed by the organisation (App.1 p.7).
    ActionCell("department_a", "POST", "/admin/case/{case__case_ax}/postponement/{postponement__case_ax}", 403),
    ActionCell("organisation_x", "POST", "/admin/case/{case__case_b}/postponement/{postponement__case_b}", 404),
    # Freed places are declared by the organisation itself (admin/actions_places.py).
    ActionCell("organisation_x", "GET", "/admin/places", 200),
    ActionCell("department_a", "GET", "/admin/places", 403),
    ActionCell("department_a", "POST", "/admin/places/{organisation__x}", 403, {"count": "1"}),
    ActionCell("organisation_x", "POST", "/admin/places/{organisation__y}", 403, {"count": "1"}),
    # Questions (admin/inbox.py) are scoped by their case; an answer is not a question.
    ActionCell("admin", "GET", "/admin/questions", 200),
    ActionCell("department_a", "GET", "/admin/questions/{inbox_message__case_a_in}", 200),
    ActionCell("department_a", "GET", "/admin/questions/{inbox_message__case_b_in}", 404),
    ActionCell("department_a", "GET", "/admin/questions/{inbox_message__case_a_out}", 404),
    ActionCell("organisation_x", "GET", "/admin/questions/{inbox_message__case_a_in}", 404),
    ActionCell("organisation_x", "POST", "/admin/questions/{inbox_message__case_b_in}/reply", 404, {"body": "x"}),
]


def shown_ids(page: str, identity: str) -> set[int]:
    return {int(found) for found in re.findall(rf"/admin/{re.escape(identity)}/details/(\d+)\"", page)}


def exported_ids(body: str) -> set[int]:
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    return {int(row[0]) for row in rows[1:] if row}


def _ids(world: World) -> dict[str, int]:
    return {
        f"{identity.replace('-', '_')}__{key}": row_id
        for identity, rows in world.records.items()
        for key, (row_id, _roles) in rows.items()
    }


@pytest.mark.parametrize("identity", VIEWS)
@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_the_rows_in_scope(staff_of: dict[str, Staff], panel_world: World, role, identity):
    page = staff_of[role].get(f"/admin/{identity}/list", **LIST_QUERY)
    assert page.status_code == 200
    seen = shown_ids(page.text, identity)
    assert panel_world.visible(identity, role) <= seen
    assert not seen & panel_world.hidden(identity, role), f"{role} sees rows of another district or organisation"


@pytest.mark.parametrize("identity", VIEWS)
@pytest.mark.parametrize("role", ROLES)
def test_detail_url_of_every_record_opens_in_scope_and_is_404_outside(
    staff_of: dict[str, Staff], panel_world: World, role, identity
):
    for key, (row_id, roles) in panel_world.records[identity].items():
        response = staff_of[role].get(f"/admin/{identity}/details/{row_id}")
        expected = 200 if role in roles else 404
        assert response.status_code == expected, f"{role} opening {identity} {key}"
        if expected == 404:
            assert "outside your area" in response.text or "вне вашей зоны" in response.text


@pytest.mark.parametrize("identity", VIEWS)
@pytest.mark.parametrize("role", ROLES)
def test_csv_export_holds_exactly_the_rows_in_scope(staff_of: dict[str, Staff], panel_world: World, role, identity):
    response = staff_of[role].get(f"/admin/{identity}/export/csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    seen = exported_ids(response.text)
    assert panel_world.visible(identity, role) <= seen
    assert not seen & panel_world.hidden(identity, role)


@pytest.mark.parametrize("identity", ADMIN_ONLY_VIEWS)
@pytest.mark.parametrize("role", ["department_a", "organisation_x"])
def test_admin_only_views_are_closed_to_other_roles(staff_of: dict[str, Staff], role, identity):
    assert staff_of[role].get(f"/admin/{identity}/list").status_code == 403
    assert staff_of[role].get(f"/admin/{identity}/export/csv").status_code == 403
    assert staff_of[role].get(f"/admin/{identity}/details/1").status_code == 403
    assert f"/admin/{identity}/list" not in staff_of[role].get("/admin/dashboard").text  # not in the menu


def test_admin_sees_staff_accounts_without_password_hashes(staff_of: dict[str, Staff]):
    page = staff_of["admin"].get("/admin/staff-user/list").text
    export = staff_of["admin"].get("/admin/staff-user/export/csv").text
    assert "dept.a" in page and "org.x" in export
    assert "$argon2" not in page and "$argon2" not in export


CASE_SEARCHES = [
    # (role, which case's recipient is searched for, how, found?)
    ("admin", "case_b", "last4", True),
    ("department_a", "case_b", "last4", False),
    ("department_a", "case_a", "last4", True),
    ("department_a", "case_a", "iin", True),
    ("department_a", "case_b", "iin", False),
    ("department_a", "case_b", "number", False),
    ("department_a", "case_b", "name", False),
    ("organisation_x", "case_ax", "last4", True),
    ("organisation_x", "case_ax", "iin", False),  # organisations do not search by full IIN
    ("organisation_x", "case_a", "name", False),
    ("organisation_x", "case_b", "number", False),
]


def _term(world: World, key: str, how: str) -> str:
    return {
        "last4": world.iins[key][-4:],
        "iin": world.iins[key],
        "number": str(world.id("case", key)),
        "name": world.names[key],
    }[how]


@pytest.mark.parametrize(("role", "key", "how", "found"), CASE_SEARCHES)
def test_search_finds_only_cases_in_scope(staff_of: dict[str, Staff], panel_world: World, role, key, how, found):
    term = _term(panel_world, key, how)
    cases = shown_ids(staff_of[role].get("/admin/case/list", search=term).text, "case")
    assert (panel_world.id("case", key) in cases) is found
    assert not cases & panel_world.hidden("case", role)
    exported = exported_ids(staff_of[role].get("/admin/case/export/csv", search=term).text)
    assert exported == cases  # the export is the list as searched


@pytest.mark.parametrize(("role", "key", "how", "found"), [s for s in CASE_SEARCHES if s[2] in ("last4", "name")])
def test_people_search_finds_only_people_in_scope(staff_of, panel_world: World, role, key, how, found):
    people = shown_ids(staff_of[role].get("/admin/person/list", search=_term(panel_world, key, how)).text, "person")
    assert (panel_world.id("person", key) in people) is found
    assert not people & panel_world.hidden("person", role)


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_counts_and_names_only_what_is_in_scope(staff_of: dict[str, Staff], panel_world: World, role):
    page = staff_of[role].get("/admin/dashboard").text
    visible_cases = len(panel_world.visible("case", role))
    shown = sum(int(count) for count in re.findall(r'data-status="\w+">.*?<td class="text-end">(\d+)</td>', page, re.S))
    assert shown == visible_cases
    assert (panel_world.organisation_names["b"] in page) is (role == "admin")
    assert panel_world.organisation_names["a"] in page


@pytest.mark.parametrize("role", ["department_a", "organisation_x"])
def test_case_page_hides_rows_of_other_organisations(staff_of: dict[str, Staff], panel_world: World, role):
    """case_bx waits at X but was once offered a place at Y: X and department A see the case, not Y's offer."""
    page = staff_of[role].get(f"/admin/case/details/{panel_world.id('case', 'case_bx')}")
    assert page.status_code == 200
    assert panel_world.organisation_names["a"] in page.text
    assert panel_world.organisation_names["b"] not in page.text


@pytest.mark.parametrize("cell", ACTIONS, ids=lambda cell: f"{cell.role}-{cell.method}-{cell.path}")
def test_action_cells(staff_of: dict[str, Staff], panel_world: World, cell: ActionCell):
    path = cell.path.format(**_ids(panel_world))
    client = staff_of[cell.role]
    if cell.method == "POST":
        response = client.post(path, cell.data)
    elif cell.method == "DELETE":
        response = client.http.delete(path, headers={"X-CSRF-Token": client.csrf()})
    else:
        response = client.get(path)
    assert response.status_code == cell.expect, response.text[:300]


@pytest.mark.parametrize(
    ("role", "full_on_detail"), [("admin", True), ("department_a", True), ("organisation_x", False)]
)
def test_iin_is_masked_in_lists_and_exports_and_whole_only_on_the_detail_page_of_offices(
    staff_of: dict[str, Staff], panel_world: World, role, full_on_detail
):
    iin = panel_world.iins["case_ax"]
    masked = "********" + iin[-4:]
    listed = staff_of[role].get("/admin/person/list", **LIST_QUERY).text
    exported = staff_of[role].get("/admin/person/export/csv").text
    assert masked in listed and masked in exported
    assert iin not in listed and iin not in exported
    detail = staff_of[role].get(f"/admin/person/details/{panel_world.id('person', 'case_ax')}").text
    assert (iin in detail) is full_on_detail
    assert masked in detail or full_on_detail


@pytest.mark.parametrize(("role", "found"), [("admin", True), ("department_a", False), ("organisation_x", False)])
def test_organisation_search_stays_in_scope(staff_of: dict[str, Staff], panel_world: World, role, found):
    page = staff_of[role].get("/admin/organisation/list", search="Home Y").text
    assert (panel_world.id("organisation", "y") in shown_ids(page, "organisation")) is found
