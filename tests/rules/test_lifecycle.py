"""The case lifecycle per form (core.rules.lifecycle): every row, every forbidden move, every paragraph cited.

EXPECTED is written from the Kazakh text independently of the table: a row added, dropped or moved in the table
without its paragraph fails here.
"""

from __future__ import annotations

import json
from collections import deque
from datetime import date

import pytest

from core.rules.codes import Actor, Form, Status
from core.rules.leave import LeaveKind, leave_limit, leave_return_by
from core.rules.legal import ORDER_72_IN_FORCE, ORDER_263_IN_FORCE
from core.rules.lifecycle import (
    PRE_ADMISSION_STATUSES,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Action,
    Transition,
    TransitionNotAllowed,
    allowed_actions,
    can,
    statuses_for,
    transition,
)
from qamqor.cli import main
from tests.rules.test_amendments import needs_seed, seed_paragraph_opening, seed_subparagraphs

ST, SEMI, HOME, TEMP = Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME, Form.TEMPORARY_STAY
DEP, APP, ORG, AUTH, SYS = Actor.DEPARTMENT, Actor.APPLICANT, Actor.ORGANISATION, Actor.AUTHORITY, Actor.SYSTEM
BEFORE = "draft|submitted|approved|notified|queued|offered"

# (form, action, from statuses, to status, actor, legal ref as printed)
EXPECTED = [
    pytest.param(ST, "submit", "draft", "submitted", DEP, "App.1 p.6", id="app1_p6_submit_documents_complete"),
    pytest.param(ST, "approve", "submitted", "approved", DEP, "App.1 p.3", id="app1_p3_department_approves"),
    pytest.param(ST, "refuse", "submitted", "refused", DEP, "App.1 p.3", id="app1_p3_department_refuses"),
    pytest.param(ST, "notify", "approved", "notified", DEP, "App.1 p.7", id="app1_p7_notify_after_decision"),
    pytest.param(ST, "offer_place", "notified|queued", "offered", SYS, "App.1 p.7", id="app1_p7_vacancy_offered"),
    pytest.param(ST, "join_queue", "notified", "queued", APP, "App.1 p.7", id="app1_p7_no_vacancy_self_queue"),
    pytest.param(ST, "no_show", "offered", "queued", ORG, "App.1 p.7", id="app1_p7_no_show_place_passes_on"),
    pytest.param(ST, "postpone_arrival", "offered", "offered", APP, "App.1 p.7", id="app1_p7_postpone_once_30_days"),
    pytest.param(ST, "suspend", "offered", "suspended", DEP, "App.1 p.7", id="app1_p7_decision_suspended_medical"),
    pytest.param(ST, "restore", "suspended", "queued", DEP, "App.1 p.7", id="app1_p7_decision_restored_card_clear"),
    pytest.param(ST, "admit", "offered", "admitted", ORG, "App.1 p.8", id="app1_p8_admitted_portal_card"),
    pytest.param(ST, "start_leave", "admitted", "on_leave", ORG, "App.1 p.14", id="app1_p14_temporary_leave"),
    pytest.param(ST, "end_leave", "on_leave", "admitted", ORG, "App.1 p.14", id="app1_p14_back_from_leave"),
    pytest.param(ST, "transfer", "admitted", "admitted", ORG, "App.1 p.16", id="app1_p16_transfer_other_region"),
    pytest.param(ST, "discharge", "admitted|on_leave", "discharged", ORG, "App.1 p.13", id="app1_p13_discharge"),
    pytest.param(ST, "expel", "admitted|on_leave", "expelled", ORG, "App.1 p.21", id="app1_p21_expel"),
    pytest.param(ST, "reopen", "expelled", "admitted", ORG, "App.1 p.21.3", id="app1_p21_3_good_reason_readmit"),
    pytest.param(ST, "withdraw", BEFORE + "|suspended", "withdrawn", APP, "App.1 p.5.1", id="app1_withdraw_own_app"),
    pytest.param(SEMI, "submit", "draft", "submitted", DEP, "App.2 p.6", id="app2_p6_submit_documents_complete"),
    pytest.param(SEMI, "approve", "submitted", "approved", DEP, "App.2 p.3", id="app2_p3_department_approves"),
    pytest.param(SEMI, "refuse", "submitted", "refused", DEP, "App.2 p.3", id="app2_p3_department_refuses"),
    pytest.param(SEMI, "notify", "approved", "notified", DEP, "App.2 p.7", id="app2_p7_notify_after_decision"),
    pytest.param(SEMI, "offer_place", "notified|queued", "offered", SYS, "App.2 p.7", id="app2_p7_vacancy_offered"),
    pytest.param(SEMI, "join_queue", "notified", "queued", APP, "App.2 p.7", id="app2_p7_no_vacancy_self_queue"),
    pytest.param(SEMI, "no_show", "offered", "queued", ORG, "App.2 p.7", id="app2_p7_no_show_place_passes_on"),
    pytest.param(SEMI, "postpone_arrival", "offered", "offered", APP, "App.2 p.7", id="app2_p7_postpone_14_days"),
    pytest.param(SEMI, "admit", "offered", "admitted", ORG, "App.2 p.7", id="app2_p7_arrives_admitted"),
    pytest.param(SEMI, "suspend", "admitted", "suspended", ORG, "App.2 p.15", id="app2_p15_suspend_medical"),
    pytest.param(SEMI, "restore", "suspended", "admitted", ORG, "App.2 p.15", id="app2_p15_restore_medical_doc"),
    pytest.param(SEMI, "transfer", "admitted", "admitted", ORG, "App.2 p.11", id="app2_p11_transfer_same_locality"),
    pytest.param(SEMI, "terminate", "admitted|suspended", "terminated", ORG, "App.2 p.13", id="app2_p13_terminate"),
    pytest.param(SEMI, "withdraw", BEFORE, "withdrawn", APP, "App.2 p.5.1", id="app2_withdraw_own_application"),
    pytest.param(HOME, "submit", "draft", "submitted", DEP, "App.3 p.6", id="app3_p6_submit_documents_complete"),
    pytest.param(HOME, "record_home_visit", "submitted", "home_visited", DEP, "App.3 p.8", id="app3_p8_home_visit"),
    pytest.param(HOME, "record_inspection_act", "home_visited", "inspected", DEP, "App.3 p.8",
                 id="app3_p8_inspection_act"),
    pytest.param(HOME, "approve", "inspected", "approved", DEP, "App.3 p.8", id="app3_p8_decision_after_act"),
    pytest.param(HOME, "refuse", "inspected", "refused", DEP, "App.3 p.8", id="app3_p8_refusal_after_act"),
    pytest.param(HOME, "notify", "approved", "notified", DEP, "App.3 p.8", id="app3_p8_notify_1wd"),
    pytest.param(HOME, "offer_place", "notified|queued", "offered", SYS, "App.3 p.8", id="app3_p8_vacancy_offered"),
    pytest.param(HOME, "join_queue", "notified", "queued", APP, "App.3 p.8", id="app3_p8_no_vacancy_self_queue"),
    pytest.param(HOME, "admit", "offered", "admitted", ORG, "App.3 p.9", id="app3_p9_documents_sent_admitted"),
    pytest.param(HOME, "suspend", "admitted", "suspended", ORG, "App.3 p.17", id="app3_p17_suspend_medical"),
    pytest.param(HOME, "restore", "suspended", "admitted", ORG, "App.3 p.17", id="app3_p17_restore_medical_doc"),
    pytest.param(HOME, "terminate", "admitted|suspended", "terminated", ORG, "App.3 p.15", id="app3_p15_terminate"),
    pytest.param(HOME, "withdraw", "draft|submitted|home_visited|inspected|approved|notified|queued|offered",
                 "withdrawn", APP, "App.3 p.5.1", id="app3_withdraw_own_application"),
    pytest.param(TEMP, "submit", "draft", "submitted", ORG, "App.4 p.3", id="app4_p3_application_or_referral"),
    pytest.param(TEMP, "identify_victim", "submitted", "identified", ORG, "App.4 p.4-1", id="app4_p4_1_identified"),
    pytest.param(TEMP, "refuse", "submitted", "refused", ORG, "App.4 p.4-4", id="app4_p4_4_not_recognised"),
    pytest.param(TEMP, "forward_to_authority", "identified", "forwarded", ORG, "App.4 p.4-4",
                 id="app4_p4_4_sheet_to_authority"),
    pytest.param(TEMP, "approve", "forwarded", "approved", AUTH, "App.4 p.4-9", id="app4_p4_9_authority_decides"),
    pytest.param(TEMP, "refuse", "forwarded", "refused", AUTH, "App.4 p.4-9", id="app4_p4_9_authority_refuses"),
    pytest.param(TEMP, "approve", "submitted", "approved", ORG, "App.4 p.3", id="app4_p3_homeless_released_approved"),
    pytest.param(TEMP, "sign_contract", "approved", "contract_signed", ORG, "App.4 p.8", id="app4_p8_contract_1wd"),
    pytest.param(TEMP, "admit", "contract_signed", "admitted", ORG, "App.4 p.8", id="app4_p8_admitted_on_contract"),
    pytest.param(TEMP, "admit", "submitted", "admitted", ORG, "App.4 p.4", id="app4_p4_other_region_without_docs"),
    pytest.param(TEMP, "start_leave", "admitted", "on_leave", ORG, "App.4 p.14", id="app4_p14_sent_to_study"),
    pytest.param(TEMP, "end_leave", "on_leave", "admitted", ORG, "App.4 p.14", id="app4_p14_back_from_study"),
    pytest.param(TEMP, "suspend", "admitted", "suspended", ORG, "App.4 p.16", id="app4_p16_in_health_organisation"),
    pytest.param(TEMP, "restore", "suspended", "admitted", ORG, "App.4 p.16", id="app4_p16_back_from_health_org"),
    pytest.param(TEMP, "transfer", "admitted", "admitted", ORG, "App.4 p.17", id="app4_p17_transfer_other_region"),
    pytest.param(TEMP, "discharge", "admitted|suspended|on_leave", "discharged", ORG, "App.4 p.13",
                 id="app4_p13_discharge"),
    pytest.param(TEMP, "expel", "admitted|suspended|on_leave", "expelled", ORG, "App.4 p.18", id="app4_p18_expel"),
    pytest.param(TEMP, "reopen", "expelled", "admitted", ORG, "App.4 p.18.3", id="app4_p18_3_police_or_hospital"),
    pytest.param(TEMP, "withdraw", "draft|submitted|identified|forwarded|approved|contract_signed", "withdrawn",
                 APP, "App.4 p.3", id="app4_withdraw_before_admission"),
]  # fmt: skip


@pytest.mark.parametrize(("form", "action", "from_statuses", "to_status", "actor", "legal_ref"), EXPECTED)
def test_transition_row(
    form: Form, action: str, from_statuses: str, to_status: str, actor: Actor, legal_ref: str
) -> None:
    for status in from_statuses.split("|"):
        row = transition(form, Status(status), action)
        assert (row.to_status, row.actor, str(row.legal_ref)) == (Status(to_status), actor, legal_ref)
        assert can(form, Status(status), action)


def test_every_table_row_is_expected_and_nothing_else() -> None:
    expected = {(p.values[0], p.values[1], p.values[2]) for p in EXPECTED}
    table = {(row.form, row.action.value, "|".join(row.from_statuses)) for row in TRANSITIONS}
    assert table == expected


@pytest.mark.parametrize("form", list(Form), ids=lambda form: f"{form}_every_row_reachable_from_draft")
def test_every_row_reachable_from_draft(form: Form) -> None:
    reached, todo = {Status.DRAFT}, deque([Status.DRAFT])
    while todo:
        for row in allowed_actions(form, todo.popleft()):
            if row.to_status not in reached:
                reached.add(row.to_status)
                todo.append(row.to_status)
    assert set(statuses_for(form)) == reached
    assert all(set(row.from_statuses) & reached for row in TRANSITIONS if row.form is form)


@pytest.mark.parametrize(
    ("form", "status", "action", "allowed"),
    [
        pytest.param(ST, "submitted", "admit", "approve, refuse, withdraw", id="app1_p3_no_admission_before_decision"),
        pytest.param(ST, "notified", "admit", "offer_place, join_queue, withdraw", id="app1_p7_choose_before_arrival"),
        pytest.param(ST, "queued", "no_show", "offer_place, withdraw", id="app1_p7_no_show_only_after_offer"),
        pytest.param(ST, "admitted", "withdraw", "start_leave, transfer, discharge, expel",
                     id="app1_p13_1_after_admission_discharge_not_withdraw"),
        pytest.param(ST, "discharged", "reopen", "none (the case is closed)", id="app1_p13_discharge_is_final"),
        pytest.param(ST, "admitted", "terminate", "start_leave, transfer, discharge, expel",
                     id="app1_stationary_discharges_not_terminates"),
        pytest.param(SEMI, "admitted", "start_leave", "suspend, transfer, terminate", id="app2_no_temporary_leave"),
        pytest.param(SEMI, "terminated", "restore", "none (the case is closed)", id="app2_p14_restore_is_new_case"),
        pytest.param(HOME, "submitted", "approve", "record_home_visit, withdraw", id="app3_p8_decision_needs_act"),
        pytest.param(HOME, "offered", "no_show", "admit, withdraw", id="app3_home_care_has_no_arrival"),
        pytest.param(HOME, "admitted", "transfer", "suspend, terminate", id="app3_p15_4_moving_terminates"),
        pytest.param(TEMP, "identified", "approve", "forward_to_authority, withdraw", id="app4_p4_4_forward_first"),
        pytest.param(TEMP, "approved", "admit", "sign_contract, withdraw", id="app4_p8_contract_before_admission"),
        pytest.param(TEMP, "submitted", "sign_contract", "identify_victim, refuse, approve, admit, withdraw",
                     id="app4_p8_contract_only_after_decision"),
        pytest.param(TEMP, "discharged", "reopen", "none (the case is closed)", id="app4_p13_discharge_is_final"),
        pytest.param(ST, "draft", "fly", "submit, withdraw", id="unknown_action_code"),
        pytest.param(HOME, "identified", "approve", "none (a home case is never in this status)",
                     id="app4_p4_1_identification_is_not_home_care"),
    ],
)  # fmt: skip
def test_forbidden_move_raises_with_allowed_list(form: Form, status: str, action: str, allowed: str) -> None:
    with pytest.raises(TransitionNotAllowed) as raised:
        transition(form, Status(status), action)
    assert str(raised.value) == f"a {form} case in status '{status}' cannot '{action}'; allowed: {allowed}"
    assert raised.value.form is form and raised.value.status == status and raised.value.action == action
    assert ", ".join(raised.value.allowed) == ("" if allowed.startswith("none") else allowed)
    assert not can(form, Status(status), action)


@pytest.mark.parametrize("form", list(Form), ids=lambda form: f"{form}_terminal_statuses_are_closed")
def test_terminal_statuses_leave_only_by_reopen_after_expulsion(form: Form) -> None:
    for status in TERMINAL_STATUSES & set(statuses_for(form)):
        actions = [row.action for row in allowed_actions(form, status)]
        assert actions == ([Action.REOPEN] if status is Status.EXPELLED else [])


@pytest.mark.parametrize("form", list(Form), ids=lambda form: f"{form}_withdraw_from_every_pre_admission_status")
def test_withdraw_from_every_pre_admission_status(form: Form) -> None:
    for status in PRE_ADMISSION_STATUSES & set(statuses_for(form)):
        assert transition(form, status, Action.WITHDRAW).to_status is Status.WITHDRAWN
    assert not can(form, Status.ADMITTED, Action.WITHDRAW)


def test_app4_paragraphs_added_by_order72_apply_from_its_entry_into_force() -> None:
    assert transition(TEMP, Status.SUBMITTED, "identify_victim").effective_from == ORDER_72_IN_FORCE
    assert transition(ST, Status.SUBMITTED, "approve").effective_from == ORDER_72_IN_FORCE  # p.3 new wording
    assert transition(ST, Status.ADMITTED, "discharge").effective_from == ORDER_263_IN_FORCE


@pytest.mark.parametrize(
    ("form", "status", "action", "flagged"),
    [
        pytest.param(ST, "draft", "submit", True, id="app1_p6_e_sobes_entry_reworded_by_order163"),
        pytest.param(ST, "approved", "notify", True, id="app1_p7_part2_sms_reworded_by_order163"),
        pytest.param(ST, "admitted", "discharge", False, id="app1_p13_not_reworded"),
        pytest.param(ST, "draft", "withdraw", False, id="app1_p5_1_application_not_reworded"),
        pytest.param(TEMP, "submitted", "identify_victim", False, id="app4_p4_1_not_reworded"),
    ],
)
def test_order163_flag_on_transition(form: Form, status: str, action: str, flagged: bool) -> None:
    row = transition(form, Status(status), action)
    assert row.flagged is flagged
    assert bool(row.as_dict()["flags"]) is flagged


@needs_seed
@pytest.mark.parametrize("row", TRANSITIONS, ids=lambda row: f"{row.form}_{row.action}_{row.legal_ref}")
def test_cited_paragraph_exists_in_its_appendix(row: Transition) -> None:
    legal_ref = row.legal_ref
    paragraph, _, sub = legal_ref.paragraph.partition(".")
    opening = seed_paragraph_opening(legal_ref.appendix, paragraph)
    assert opening.startswith(f"{paragraph}.") and "Алып тасталды" not in opening
    assert not sub or sub in seed_subparagraphs(legal_ref.appendix, paragraph)


@pytest.mark.parametrize(
    ("form", "kind", "started_on", "return_by", "legal_ref"),
    [
        pytest.param(ST, LeaveKind.PERSONAL, date(2026, 3, 10), date(2026, 6, 10), "App.1 p.14",
                     id="app1_p14_leave_up_to_3_months"),
        pytest.param(ST, LeaveKind.PERSONAL, date(2025, 11, 30), date(2026, 2, 28), "App.1 p.14",
                     id="app1_p14_leave_ends_on_last_day_of_february"),
        pytest.param(ST, LeaveKind.REHABILITATION_ELSEWHERE, date(2026, 3, 10), date(2027, 3, 10), "App.1 p.17",
                     id="app1_p17_rehabilitation_elsewhere_up_to_a_year"),
        pytest.param(TEMP, LeaveKind.EDUCATION, date(2024, 2, 29), date(2025, 2, 28), "App.4 p.14",
                     id="app4_p14_study_up_to_a_year_from_29_february"),
    ],
)  # fmt: skip
def test_leave_return_by(form: Form, kind: LeaveKind, started_on: date, return_by: date, legal_ref: str) -> None:
    assert leave_return_by(form, started_on, kind) == return_by
    assert str(leave_limit(form, kind).legal_ref) == legal_ref


def test_semi_stationary_has_no_leave() -> None:
    with pytest.raises(LookupError, match="no 'personal' leave for semi_stationary"):
        leave_limit(SEMI)


def test_cli_rules_transitions_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "transitions", "--form", "home", "--status", "submitted", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["action"], row["to"], row["legal_ref"]) for row in rows] == [
        ("record_home_visit", "home_visited", "App.3 p.8"),
        ("withdraw", "withdrawn", "App.3 p.5.1"),
    ]


def test_cli_rules_transitions_text_whole_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "transitions", "--form", "semi_stationary"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len([row for row in TRANSITIONS if row.form is SEMI])
    assert lines[0].split()[:5] == ["submit", "draft", "->", "submitted", "by"]


def test_cli_rules_transitions_closed_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "transitions", "--form", "home", "--status", "terminated"]) == 0
    assert capsys.readouterr().out == "no actions: the case is closed\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["--form", "care_home"], "--form: unknown value 'care_home' (expected one of: stationary, "
                     "semi_stationary, home, temporary_stay)", id="unknown_form"),
        pytest.param(["--form", "home", "--status", "waiting"], "--status: unknown value 'waiting'",
                     id="unknown_status"),
        pytest.param(["--form", "home", "--status", "identified"], "--status: 'identified' is not a status of a "
                     "home case", id="status_of_another_form"),
    ],
)  # fmt: skip
def test_cli_rules_transitions_bad_input_exits_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "transitions", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"qamqor: error: {message}") and err.count("\n") == 1
