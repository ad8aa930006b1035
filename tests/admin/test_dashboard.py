"""The dashboard: cases by stage, statutory steps due in working days, each organisation's queue, free places and
median waiting time, and a chart drawn on the server (no script, nothing fetched from another site)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from admin import dashboard_data
from admin.accounts import current
from admin.principal import Principal
from core.db.enums import StaffRole
from core.rules.codes import Status, Step
from qamqor.runtime import Runtime
from tests.admin.panel_world import Staff, World, signed_in, staff_ids


def _principal(role: StaffRole, runtime: Runtime, world: World) -> Principal:
    """The principal of the world's staff member of `role`, as the panel builds it after sign-in."""
    ids = staff_ids(runtime)
    login = {StaffRole.ADMIN: "root", StaffRole.DEPARTMENT: "dept.a", StaffRole.ORGANISATION: "org.x"}[role]
    with runtime.context() as ctx:
        principal = current(ctx, ids[login])
    assert principal is not None
    return principal


def test_steps_due_come_from_the_rules_and_stay_in_scope(auth_runtime: Runtime, auth_world: World):
    """case_b was approved on Friday 13 Nov 2026: the recipient had to be notified within two working days, by
    Tuesday 17 Nov (App.1 p.7); on Monday 23 Nov that is four working days late. case_a, approved on Thursday
    19 Nov, is due today."""
    case_a, case_b = auth_world.id("case", "case_a"), auth_world.id("case", "case_b")
    admin = _principal(StaffRole.ADMIN, auth_runtime, auth_world)
    with auth_runtime.context() as ctx:
        due = dashboard_data.steps_due(ctx, admin)
    late = {item.case_id: item for item in due.overdue}
    assert late[case_b].step is Step.NOTIFY_RECIPIENT
    assert late[case_b].deadline == date(2026, 11, 17)
    assert late[case_b].working_days_overdue == 4
    assert [item.case_id for item in due.today] == [case_a]
    assert due.next_day == date(2026, 11, 24)
    department = _principal(StaffRole.DEPARTMENT, auth_runtime, auth_world)
    organisation = _principal(StaffRole.ORGANISATION, auth_runtime, auth_world)
    with auth_runtime.context() as ctx:
        for_department = dashboard_data.steps_due(ctx, department)
        for_organisation = dashboard_data.steps_due(ctx, organisation)
    assert for_department.overdue == [] and [item.case_id for item in for_department.today] == [case_a]
    assert for_organisation.overdue == for_organisation.today == []


def test_organisation_load_and_median_wait(auth_runtime: Runtime, auth_world: World):
    organisation = _principal(StaffRole.ORGANISATION, auth_runtime, auth_world)
    with auth_runtime.context() as ctx:
        loads = dashboard_data.organisation_loads(ctx, organisation, "ru")
        stages = dashboard_data.cases_by_stage(ctx, organisation)
    assert [load.name for load in loads] == ["Home X in district A"]
    assert loads[0].queue_length == 2  # case_ax and case_bx wait at X
    assert loads[0].median_wait_days == 60.0
    assert loads[0].free_places == 2
    assert {stage.status: stage.count for stage in stages} == {Status.QUEUED: 2}


def test_dashboard_page_draws_its_chart_on_the_server(auth_server, auth_world: World):
    staff: Staff = signed_in(auth_server.url, "admin")
    response = staff.get("/admin/")
    assert response.status_code == 302 and response.headers["location"].endswith("/admin/dashboard")
    page = staff.get("/admin/dashboard").text
    assert page.count("<svg") >= 2 and 'class="qamqor-chart"' in page
    assert re.search(r'<a href="[^"]*/admin/case/list\?status=approved">', page)  # a bar opens the list it counts
    assert int(re.search(r'id="due-overdue">(\d+)<', page).group(1)) == 1
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert all(url.startswith(auth_server.url) for url in external), external  # no CDN


def test_a_bar_opens_the_filtered_case_list(auth_server, auth_world: World):
    staff = signed_in(auth_server.url, "admin")
    page = staff.get("/admin/case/list", status="queued").text
    shown = {int(n) for n in re.findall(r'/admin/case/details/(\d+)"', page)}
    assert shown == {auth_world.id("case", "case_ax"), auth_world.id("case", "case_bx")}
    assert 'id="list-note"' in page


def test_the_filtered_list_exports_just_what_it_shows(auth_server, auth_world: World):
    staff = signed_in(auth_server.url, "admin")
    page = staff.get("/admin/case/list", status="queued").text
    [link] = re.findall(r'href="([^"]*/admin/case/export/csv[^"]*)"', page)
    assert "status=queued" in link  # the export button carries the filter of the list on screen
    body = staff.get("/admin/case/export/csv", status="queued").text
    exported = {int(row[0]) for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))) if row and row[0].isdigit()}
    assert exported == {auth_world.id("case", "case_ax"), auth_world.id("case", "case_bx")}
