"""Questions from applicants in the panel, over real HTTP, on SQLite and PostgreSQL: each question is visible to the
staff of its case only (a question without a case to admins only), the answer is stored and audited, and the
delivery worker (qamqor/delivery) brings it to the applicant's Telegram chat."""

from __future__ import annotations

import sqlalchemy as sa

from bot.i18n import gettext
from core.db.enums import Direction
from core.db.models import AuditLog, ChatIdentity, InboxMessage
from core.services import inbox
from tests.admin import actions_client as panel_client
from tests.admin import actions_world as fixtures
from tests.admin.actions_client import deliver_once

work_db_url, work_clock, work_runtime, world, panel, staff = (
    fixtures.work_db_url,
    fixtures.work_clock,
    fixtures.work_runtime,
    fixtures.world,
    fixtures.panel,
    fixtures.staff,
)
fake_telegram_server, fake_telegram = panel_client.fake_telegram_server, panel_client.fake_telegram


def ask(runtime, identity_id: int, body: str, case_id: int | None) -> int:
    """The applicant writes to staff from the chat (the dialogue's 'ask' flow calls the same service)."""
    with runtime.context() as ctx:
        identity = ctx.session.get(ChatIdentity, identity_id)
        case = ctx.session.get(fixtures.Case, case_id) if case_id else None
        return int(inbox.ask(ctx, identity, body, case).id)


def answers(runtime) -> list[InboxMessage]:
    with runtime.context() as ctx:
        return list(ctx.session.scalars(sa.select(InboxMessage).where(InboxMessage.direction == Direction.OUT)))


def test_a_question_is_seen_by_the_staff_of_its_case_only(work_runtime, world, staff):
    case_a = world.application(work_runtime, "a", serial=1)
    case_b = world.application(work_runtime, "b", serial=2)
    asked_a = ask(work_runtime, world.identity_of(work_runtime, case_a).id, "When is the decision due?", case_a)
    asked_b = ask(work_runtime, world.identity_of(work_runtime, case_b).id, "Қашан шешім болады?", case_b)
    loose = ask(work_runtime, world.identity_of(work_runtime, case_a).id, "Hello, a question without a case", None)

    officer_a, officer_b, employee_a, boss = staff("dept_a"), staff("dept_b"), staff("org_a"), staff("boss")
    listed = {
        login: client.page("/admin/questions").text
        for login, client in (("dept_a", officer_a), ("dept_b", officer_b), ("org_a", employee_a), ("boss", boss))
    }
    assert f'id="question-{asked_a}"' in listed["dept_a"] and f'id="question-{asked_b}"' not in listed["dept_a"]
    assert f'id="question-{asked_b}"' in listed["dept_b"] and f'id="question-{asked_a}"' not in listed["dept_b"]
    assert "question-" not in listed["org_a"].replace('id="question-filter"', "")  # no case at the home yet
    assert all(f'id="question-{n}"' in listed["boss"] for n in (asked_a, asked_b, loose))
    # Law silent on whose a question without a case is: only admins see it (no office can be inferred).
    assert f'id="question-{loose}"' not in listed["dept_a"]

    assert officer_a.page(f"/admin/questions/{asked_a}").status_code == 200
    for client, forged in ((officer_a, asked_b), (officer_b, asked_a), (employee_a, asked_a), (officer_a, loose)):
        assert client.page(f"/admin/questions/{forged}").status_code == 404
    thread = officer_a.page(f"/admin/questions/{asked_a}").text
    assert "When is the decision due?" in thread
    assert f"/admin/case/{case_a}/work" in thread  # the case beside the question
    details = officer_a.page(f"/admin/inbox-message/details/{asked_a}").text  # the message's record links here
    assert f"/admin/questions/{asked_a}" in details


def test_an_answer_is_stored_audited_and_delivered_to_the_applicants_chat(work_runtime, world, staff, fake_telegram):
    case_id = world.application(work_runtime, "a", serial=3)
    identity = world.identity_of(work_runtime, case_id)
    asked = ask(work_runtime, identity.id, "Какие документы нужны?", case_id)
    officer = staff("dept_a")
    officer.page(f"/admin/questions/{asked}")

    refused = officer.post(f"/admin/questions/{asked}/reply", {"body": "   "})
    assert refused.status_code == 422 and gettext("ru", "The message is empty.") in refused.text
    forged = staff("dept_b").post(f"/admin/questions/{asked}/reply", {"body": "Not mine to answer"})
    assert forged.status_code == 404
    no_token = officer.post(f"/admin/questions/{asked}/reply", {"body": "No token"}, csrf=False)
    assert no_token.status_code == 403
    assert answers(work_runtime) == []  # nothing stored by the refused requests

    page = officer.post(f"/admin/questions/{asked}/reply", {"body": "Паспорт и медицинская карта."})
    assert page.status_code == 200
    assert "Паспорт и медицинская карта." in page.text
    assert gettext("ru", "Waiting to be sent") in page.text
    [answer] = answers(work_runtime)
    assert (answer.case_id, answer.chat_identity_id, answer.staff_user_id is not None) == (case_id, identity.id, True)
    with work_runtime.context() as ctx:
        audited = ctx.session.scalars(sa.select(AuditLog).where(AuditLog.action == "staff_reply")).one()
        assert audited.actor_id == str(answer.staff_user_id)
        assert ctx.session.get(InboxMessage, asked).read_at is not None
    assert f'id="question-{asked}"' not in officer.page("/admin/questions").text  # answered: off the waiting list

    deliver_once(work_runtime, fake_telegram)
    chat = world.telegram_chats[case_id]
    assert any("Паспорт и медицинская карта." in text for text in fake_telegram.texts_to(chat))
    assert gettext("ru", "Delivered {at}", at="")[:8] in officer.page(f"/admin/questions/{asked}").text
