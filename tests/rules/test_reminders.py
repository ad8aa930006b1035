"""Which reminders and staff alerts a case should have, and on which day.

Every expected date was counted by hand on the Kazakhstan calendar (2026: Wednesday 16 December is Independence
Day; 2027: New Year 1 January and its observed day Monday 4 January). A working-day moment "n before" a deadline is
the n-th working day counted back from it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from core.calendar_kz import kazakhstan_calendar
from core.db.enums import Audience as DbAudience
from core.rules.codes import Category, Form, Status, Step
from core.rules.deadlines import DEADLINE_RULES
from core.rules.lifecycle import TERMINAL_STATUSES, statuses_for
from core.rules.queue import needs_new_medical_examination
from core.rules.reminders import APPLICANT_STATUSES, APPLICANT_STEPS, PLANNED_KINDS, Audience, Kind, plan
from core.rules.staff_steps import STAFF_STEPS, UNTRACKED_STEPS, CaseSnapshot, PendingStep, on_dashboard, pending_steps

KZ = kazakhstan_calendar(range(2025, 2029))
ST, SEMI, HOME, TEMP = Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME, Form.TEMPORARY_STAY


def rows(snapshot: CaseSnapshot, today: date) -> list[tuple[str, date, str, bool]]:
    return [(n.kind.value, n.due_on, n.audience.value, n.urgent) for n in plan(snapshot, today, KZ).notices]


def payloads(snapshot: CaseSnapshot, today: date, kind: Kind) -> list[dict]:
    return [dict(n.payload) for n in plan(snapshot, today, KZ).notices if n.kind is kind]


# --- The family's choice and arrival -------------------------------------------------------------------------


def test_app1_p7_choose_reminders_two_one_and_zero_working_days_before_the_choice_deadline():
    # Notified Mon 23 Nov 2026, 10 working days -> Mon 7 Dec; back: Fri 4 Dec (1), Thu 3 Dec (2).
    case = CaseSnapshot(ST, Status.NOTIFIED, notified_on=date(2026, 11, 23), choose_due_on=date(2026, 12, 7))
    assert rows(case, date(2026, 11, 23)) == [
        ("choose_reminder", date(2026, 12, 3), "applicant", False),
        ("choose_reminder", date(2026, 12, 4), "applicant", False),
        ("choose_reminder", date(2026, 12, 7), "applicant", True),
    ]
    assert payloads(case, date(2026, 11, 23), Kind.CHOOSE_REMINDER)[0] == {
        "deadline": "2026-12-07",
        "working_days_left": 2,
    }
    assert str(plan(case, date(2026, 11, 23), KZ).notices[0].legal_ref) == "App.1 p.7"


def test_app2_p7_choose_reminders_skip_16_december_independence_day():
    # Due Thu 17 Dec 2026: one working day before is Tue 15 Dec (Wed 16 Dec is a holiday), two before Mon 14 Dec.
    case = CaseSnapshot(SEMI, Status.NOTIFIED, choose_due_on=date(2026, 12, 17))
    assert [due for _, due, _, _ in rows(case, date(2026, 12, 10))] == [
        date(2026, 12, 14),
        date(2026, 12, 15),
        date(2026, 12, 17),
    ]


def test_a_countdown_moment_already_past_is_not_planned_so_no_stale_count_goes_out():
    case = CaseSnapshot(HOME, Status.NOTIFIED, choose_due_on=date(2026, 12, 17))
    assert [p["working_days_left"] for p in payloads(case, date(2026, 12, 15), Kind.CHOOSE_REMINDER)] == [1, 0]
    assert rows(case, date(2026, 12, 18)) == []


def test_app1_p7_arrival_reminders_before_an_offer_from_the_queue_across_christmas_week():
    # Offered Thu 10 Dec 2026, 10 working days (16 Dec skipped) -> Fri 25 Dec; back: Thu 24 (1), Wed 23 (2).
    case = CaseSnapshot(ST, Status.OFFERED, organisation_id=7, arrival_due_on=date(2026, 12, 25))
    assert rows(case, date(2026, 12, 10)) == [
        ("arrival_reminder", date(2026, 12, 23), "applicant", False),
        ("arrival_reminder", date(2026, 12, 24), "applicant", False),
        ("arrival_reminder", date(2026, 12, 25), "applicant", True),
    ]
    first = payloads(case, date(2026, 12, 10), Kind.ARRIVAL_REMINDER)[0]
    assert first == {"deadline": "2026-12-25", "working_days_left": 2, "organisation_id": 7}


def test_app1_p7_a_postponed_arrival_warns_the_working_day_before_the_postponement_ends():
    # Moved to Wed 20 Jan 2027: Mon 18 Jan two working days before, Tue 19 Jan the last day of the postponement.
    case = CaseSnapshot(ST, Status.OFFERED, organisation_id=7, arrival_due_on=date(2027, 1, 20), postponed=True)
    assert rows(case, date(2026, 12, 21)) == [
        ("arrival_reminder", date(2027, 1, 18), "applicant", False),
        ("postponement_ending", date(2027, 1, 19), "applicant", False),
        ("arrival_reminder", date(2027, 1, 20), "applicant", True),
    ]
    assert payloads(case, date(2026, 12, 21), Kind.POSTPONEMENT_ENDING) == [
        {"deadline": "2027-01-20", "organisation_id": 7}
    ]


def test_app1_p7_a_postponement_ending_on_a_sunday_warns_on_the_friday_before():
    # Up to 30 calendar days may end on Sunday 24 Jan 2027: Fri 22 Jan is the working day before, Thu 21 two before.
    case = CaseSnapshot(ST, Status.OFFERED, organisation_id=7, arrival_due_on=date(2027, 1, 24), postponed=True)
    assert [(kind, due) for kind, due, _, _ in rows(case, date(2027, 1, 4))] == [
        ("arrival_reminder", date(2027, 1, 21)),
        ("postponement_ending", date(2027, 1, 22)),
        ("arrival_reminder", date(2027, 1, 24)),
    ]


def test_app3_home_care_offer_has_no_arrival_reminder_the_organisation_comes_to_the_home():
    case = CaseSnapshot(HOME, Status.OFFERED, organisation_id=7, arrival_due_on=date(2026, 12, 1))
    assert [kind for kind, _, audience, _ in rows(case, date(2026, 11, 24)) if audience == "applicant"] == []


# --- Waiting in a queue --------------------------------------------------------------------------------------


def test_app1_p7_medical_recheck_on_the_first_day_a_new_medical_card_is_needed():
    queued = date(2026, 1, 31)  # one month later is 28 Feb; from 1 Mar admission needs a new card
    case = CaseSnapshot(ST, Status.QUEUED, queued_on=queued)
    recheck = [due for kind, due, _, _ in rows(case, queued) if kind == "medical_recheck"]
    assert recheck == [date(2026, 3, 1)]
    assert needs_new_medical_examination(queued, date(2026, 3, 1))
    assert not needs_new_medical_examination(queued, date(2026, 2, 28))
    assert payloads(case, queued, Kind.MEDICAL_RECHECK) == [{"queued_on": "2026-01-31"}]


@pytest.mark.parametrize("form", [SEMI, HOME])
def test_medical_recheck_is_stationary_only_app2_and_app3_have_no_such_sentence(form):
    case = CaseSnapshot(form, Status.QUEUED, queued_on=date(2026, 1, 31))
    assert "medical_recheck" not in [kind for kind, *_ in rows(case, date(2026, 1, 31))]


def test_medical_recheck_stays_planned_after_its_day_while_still_queued_it_is_still_true():
    case = CaseSnapshot(ST, Status.QUEUED, queued_on=date(2026, 1, 31))
    assert date(2026, 3, 1) in [due for kind, due, *_ in rows(case, date(2026, 6, 1)) if kind == "medical_recheck"]


def test_app1_p7_ipr_expiring_30_days_before_and_on_the_day_while_queued():
    case = CaseSnapshot(ST, Status.QUEUED, queued_on=date(2026, 9, 1), ipr_expires_on=date(2026, 12, 20))
    ipr = [(due, urgent) for kind, due, _, urgent in rows(case, date(2026, 9, 1)) if kind == "ipr_expiring"]
    assert ipr == [(date(2026, 11, 20), False), (date(2026, 12, 20), False)]
    assert payloads(case, date(2026, 9, 1), Kind.IPR_EXPIRING)[0] == {"expires_on": "2026-12-20"}
    # On the day only the day's notice is left; after it, nothing (the re-certification is under way or overdue).
    assert [due for kind, due, *_ in rows(case, date(2026, 12, 20)) if kind == "ipr_expiring"] == [date(2026, 12, 20)]
    assert [kind for kind, *_ in rows(case, date(2026, 12, 21)) if kind == "ipr_expiring"] == []


def test_app3_p8_ipr_expiring_soon_after_joining_the_queue_warns_on_the_day_of_joining():
    case = CaseSnapshot(HOME, Status.QUEUED, queued_on=date(2026, 12, 1), ipr_expires_on=date(2026, 12, 20))
    ipr = [due for kind, due, *_ in rows(case, date(2026, 12, 1)) if kind == "ipr_expiring"]
    assert ipr == [date(2026, 12, 1), date(2026, 12, 20)]


def test_ipr_is_not_watched_outside_a_queue():
    offered = CaseSnapshot(ST, Status.OFFERED, arrival_due_on=date(2026, 12, 25), ipr_expires_on=date(2026, 12, 20))
    assert "ipr_expiring" not in [kind for kind, *_ in rows(offered, date(2026, 12, 1))]


def test_still_need_place_every_three_months_the_latest_come_and_the_next():
    case = CaseSnapshot(SEMI, Status.QUEUED, queued_on=date(2026, 8, 31))
    assert payloads(case, date(2026, 9, 1), Kind.STILL_NEED_PLACE) == [{"queued_on": "2026-08-31", "months": 3}]
    # 31 Aug + 3 months = 30 Nov, + 6 = 28 Feb 2027, + 9 = 31 May 2027: the latest that came, and the next.
    assert [due for (kind, due, *_) in rows(case, date(2027, 3, 1)) if kind == "still_need_place"] == [
        date(2027, 2, 28),
        date(2027, 5, 31),
    ]
    assert [p["months"] for p in payloads(case, date(2027, 3, 1), Kind.STILL_NEED_PLACE)] == [6, 9]


# --- Staff steps ---------------------------------------------------------------------------------------------


def test_app1_p7_notify_recipient_due_alert_and_overdue_alert_around_independence_day():
    # Decided Mon 14 Dec 2026: 2 working days -> Thu 17 Dec (16 Dec off). Alert on Tue 15 Dec, overdue Fri 18 Dec.
    case = CaseSnapshot(ST, Status.APPROVED, decided_on=date(2026, 12, 14))
    assert rows(case, date(2026, 12, 14)) == [
        ("staff_step_due", date(2026, 12, 15), "staff", False),
        ("staff_step_overdue", date(2026, 12, 18), "staff", True),
    ]
    assert payloads(case, date(2026, 12, 14), Kind.STAFF_STEP_DUE) == [
        {"step": "notify_recipient", "deadline": "2026-12-17"}
    ]
    # Still not notified a week later: the overdue alert stays (it may not have gone out), the "due" one is stale.
    assert rows(case, date(2026, 12, 21)) == [("staff_step_overdue", date(2026, 12, 18), "staff", True)]


def test_app3_p8_home_care_visit_act_decision_and_notice_each_alerted_in_turn():
    base = CaseSnapshot(HOME, Status.SUBMITTED, submitted_on=date(2026, 12, 7))

    def staff(snapshot: CaseSnapshot, today: date) -> list[tuple[str, date, str]]:
        return [(n.kind.value, n.due_on, n.payload["deadline"]) for n in plan(snapshot, today, KZ).notices]

    # Visit within 5 working days of Mon 7 Dec: 8, 9, 10, 11, 14 -> Mon 14 Dec.
    assert staff(base, date(2026, 12, 7)) == [
        ("staff_step_due", date(2026, 12, 11), "2026-12-14"),
        ("staff_step_overdue", date(2026, 12, 15), "2026-12-14"),
    ]
    # Act within 3 working days of the visit on Mon 14 Dec: 15, 17, 18 -> Fri 18 Dec; overdue Mon 21 Dec.
    visited = replace(base, status=Status.HOME_VISITED, home_visit_on=date(2026, 12, 14))
    assert staff(visited, date(2026, 12, 14)) == [
        ("staff_step_due", date(2026, 12, 17), "2026-12-18"),
        ("staff_step_overdue", date(2026, 12, 21), "2026-12-18"),
    ]
    # Decision within 3 working days of the act on Fri 18 Dec: 21, 22, 23 -> Wed 23 Dec.
    inspected = replace(visited, status=Status.INSPECTED, inspection_act_on=date(2026, 12, 18))
    assert staff(inspected, date(2026, 12, 18))[0] == ("staff_step_due", date(2026, 12, 22), "2026-12-23")
    # Notice within 1 working day of the decision on Wed 23 Dec -> Thu 24 Dec; alerted on the decision day.
    approved = replace(inspected, status=Status.APPROVED, decided_on=date(2026, 12, 23))
    assert staff(approved, date(2026, 12, 23)) == [
        ("staff_step_due", date(2026, 12, 23), "2026-12-24"),
        ("staff_step_overdue", date(2026, 12, 25), "2026-12-24"),
    ]


def test_app4_victim_identification_forwarding_decision_and_contract():
    victim = CaseSnapshot(TEMP, Status.SUBMITTED, category=Category.DOMESTIC_VIOLENCE_VICTIM)
    # Applied Saturday 12 Dec 2026: identification within 1 working day -> Mon 14 Dec; alerted that Monday.
    applied = replace(victim, submitted_on=date(2026, 12, 12))
    assert rows(applied, date(2026, 12, 12)) == [
        ("staff_step_due", date(2026, 12, 14), "staff", False),
        ("staff_step_overdue", date(2026, 12, 15), "staff", True),
    ]
    steps = {
        Status.IDENTIFIED: (replace(applied, status=Status.IDENTIFIED, victim_identified_on=date(2026, 12, 14)), 15),
        Status.FORWARDED: (replace(applied, status=Status.FORWARDED, forwarded_on=date(2026, 12, 15)), 21),
        Status.APPROVED: (replace(applied, status=Status.APPROVED, decided_on=date(2026, 12, 21)), 22),
    }
    # Forward 1 wd after 14 Dec -> 15 Dec; decision 3 wd after 15 Dec -> 17, 18, 21; contract 1 wd after 21 -> 22.
    for snapshot, day in steps.values():
        [pending], _ = pending_steps(snapshot, KZ)
        assert pending.deadline == date(2026, 12, day)
    assert [str(pending_steps(s, KZ)[0][0].legal_ref) for s, _ in steps.values()] == [
        "App.4 p.4-4",
        "App.4 p.4-9",
        "App.4 p.8",
    ]


def test_app4_homeless_applicant_has_no_identification_step():
    homeless = CaseSnapshot(TEMP, Status.SUBMITTED, category=Category.HOMELESS, submitted_on=date(2026, 12, 14))
    assert rows(homeless, date(2026, 12, 14)) == []


def test_app4_p4_1_identification_before_order_72_was_in_force_is_skipped_not_invented():
    early = CaseSnapshot(TEMP, Status.SUBMITTED, category=Category.TRAFFICKING_VICTIM, submitted_on=date(2025, 3, 10))
    result = plan(early, date(2025, 3, 10), KZ)
    assert result.notices == ()
    assert [skipped.what for skipped in result.skipped] == ["identification"]


def test_app4_p4_other_region_stay_overdue_after_the_new_year_holidays():
    # Admitted Tue 1 Dec 2026 without a contract (p.4): 30 calendar days -> Thu 31 Dec. The first working day
    # after it: Fri 1 Jan holiday, weekend, Mon 4 Jan observed holiday -> Tue 5 Jan 2027.
    admitted = CaseSnapshot(TEMP, Status.ADMITTED, category=Category.HOMELESS, admitted_on=date(2026, 12, 1))
    assert rows(admitted, date(2026, 12, 1)) == [
        ("staff_step_due", date(2026, 12, 30), "staff", False),
        ("staff_step_overdue", date(2027, 1, 5), "staff", True),
    ]
    assert rows(replace(admitted, contract_signed_on=date(2026, 12, 1)), date(2026, 12, 1)) == []
    assert rows(replace(admitted, transferred_since_admission=True), date(2026, 12, 1)) == []


def test_app1_p8_portal_card_is_announced_but_never_claimed_overdue():
    # Admitted Tue 15 Dec 2026: card within 1 working day -> Thu 17 Dec. Nothing records the card, so no overdue.
    admitted = CaseSnapshot(ST, Status.ADMITTED, admitted_on=date(2026, 12, 15))
    assert rows(admitted, date(2026, 12, 15)) == [("staff_step_due", date(2026, 12, 15), "staff", False)]


def test_app2_p8_documents_to_the_organisation_one_working_day_after_the_choice():
    chosen = CaseSnapshot(SEMI, Status.QUEUED, chosen_on=date(2026, 12, 15), queued_on=date(2026, 12, 15))
    [pending], _ = pending_steps(chosen, KZ)
    assert (pending.step, pending.deadline, pending.completion_recorded) == (
        Step.SEND_DOCUMENTS,
        date(2026, 12, 17),
        False,
    )


# --- The dashboard count ---------------------------------------------------------------------------------------


def _pending(deadline: date, recorded: bool = True) -> PendingStep:
    return PendingStep(Step.NOTIFY_RECIPIENT, date(2026, 12, 11), deadline, DEADLINE_RULES[0].legal_ref, recorded)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 12, 11), None),  # Fri: two working days ahead, not yet on the dashboard
        (date(2026, 12, 14), -1),  # Mon: due the next working day
        (date(2026, 12, 15), 0),  # due today
        (date(2026, 12, 16), 0),  # Independence Day: still no working day has passed since
        (date(2026, 12, 17), 1),
        (date(2026, 12, 21), 3),  # 17, 18, 21
    ],
)
def test_working_days_overdue_skip_independence_day(on, expected):
    assert on_dashboard(_pending(date(2026, 12, 15)), on, KZ) == expected


def test_a_step_nothing_marks_done_leaves_the_dashboard_after_its_last_day():
    assert on_dashboard(_pending(date(2026, 12, 15), recorded=False), date(2026, 12, 15), KZ) == 0
    assert on_dashboard(_pending(date(2026, 12, 15), recorded=False), date(2026, 12, 17), KZ) is None


# --- The tables as a whole -------------------------------------------------------------------------------------


def test_every_deadline_step_is_reminded_alerted_or_listed_as_untracked_exactly_once():
    staff = {rule.step for rule in STAFF_STEPS}
    for step in {rule.step for rule in DEADLINE_RULES}:
        homes = [step in staff, step in APPLICANT_STEPS, step in UNTRACKED_STEPS]
        assert homes.count(True) == 1, step


def _full(form: Form, status: Status) -> CaseSnapshot:
    day = date(2026, 12, 14)
    return CaseSnapshot(
        form,
        status,
        category=Category.TRAFFICKING_VICTIM if form is TEMP else Category.ELDERLY,
        submitted_on=day,
        home_visit_on=day,
        inspection_act_on=day,
        victim_identified_on=day,
        forwarded_on=day,
        decided_on=day,
        notified_on=day,
        choose_due_on=date(2026, 12, 28),
        chosen_on=day,
        queued_on=day,
        organisation_id=1,
        arrival_due_on=date(2026, 12, 28),
        admitted_on=day,
        ipr_expires_on=date(2027, 1, 10),
    )


@pytest.mark.parametrize("form", list(Form))
def test_family_reminders_only_while_choosing_queued_or_offered_and_nothing_after_the_end(form):
    for status in statuses_for(form):
        result = plan(_full(form, status), date(2026, 12, 14), KZ)
        applicant = {n.kind for n in result.notices if n.audience is Audience.APPLICANT}
        if status not in APPLICANT_STATUSES:
            assert applicant == set(), status
        if status in TERMINAL_STATUSES:
            assert result.notices == (), status
        assert len(pending_steps(_full(form, status), KZ)[0]) <= 1, status  # one alert key per day at most
        for notice in result.notices:
            json.dumps(dict(notice.payload))  # stored as JSON


def test_kinds_and_audiences_match_the_outbox_contract():
    assert {audience.value for audience in Audience} == {audience.value for audience in DbAudience}
    assert set(PLANNED_KINDS) == {
        "choose_reminder",
        "arrival_reminder",
        "postponement_ending",
        "medical_recheck",
        "ipr_expiring",
        "still_need_place",
        "staff_step_due",
        "staff_step_overdue",
    }
    event_kinds = {"submitted", "refused", "approved", "choose_organisation", "queued", "offer", "offer_lapsed"}
    assert not event_kinds & set(PLANNED_KINDS)


def test_app1_p14_return_from_leave_alerted_around_independence_day_and_app4_p14_cited_for_a_shelter():
    # Due back Thu 17 Dec 2026: the working day before is Tue 15 Dec (16 Dec is a day off); overdue from Fri 18 Dec.
    away = CaseSnapshot(ST, Status.ON_LEAVE, leave_return_by=date(2026, 12, 17))
    assert rows(away, date(2026, 12, 1)) == [
        ("staff_step_due", date(2026, 12, 15), "staff", False),
        ("staff_step_overdue", date(2026, 12, 18), "staff", True),
    ]
    [pending], _ = pending_steps(away, KZ)
    assert (pending.step, str(pending.legal_ref)) == (Step.LEAVE_RETURN, "App.1 p.14")
    [studying], _ = pending_steps(replace(away, form=TEMP, contract_ends_on=None), KZ)
    assert str(studying.legal_ref) == "App.4 p.14"
    assert rows(replace(away, status=Status.ADMITTED), date(2026, 12, 1)) == []  # back: nothing to alert
    assert rows(replace(away, leave_return_by=None), date(2026, 12, 1)) == []  # no date recorded: nothing


def test_app4_p9_contract_end_alerted_only_for_a_shelter_while_the_person_stays():
    staying = CaseSnapshot(TEMP, Status.ADMITTED, category=Category.HOMELESS, contract_signed_on=date(2026, 1, 5))
    ending = replace(staying, contract_ends_on=date(2027, 1, 5))  # Tue 5 Jan 2027; 1 and 4 Jan are days off
    assert rows(ending, date(2026, 12, 20)) == [
        ("staff_step_due", date(2026, 12, 31), "staff", False),
        ("staff_step_overdue", date(2027, 1, 6), "staff", True),
    ]
    assert rows(replace(ending, status=Status.DISCHARGED), date(2026, 12, 20)) == []
    assert rows(replace(ending, form=ST), date(2026, 12, 20)) == []
