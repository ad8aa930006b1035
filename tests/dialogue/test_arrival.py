"""After the decision, in English: a place freed for the first in the queue (App.1 p.7: arrive within 10 working
days), the arrival moved once because of illness (up to 30 calendar days), and a second request refused."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.db.enums import PostponementStatus
from core.db.models import Postponement
from core.rules.codes import Category, Form, Status
from core.services import cases, placement
from tests.dialogue.conftest import (
    JPEG,
    Chat,
    add_organisation,
    apply_for_myself,
    case_ids,
    decide_and_notify,
    make_iin,
    onboard,
    upload_everything,
)


def queued_in_english(engine, runtime, area, organisation_id: int) -> tuple[Chat, int]:
    chat = Chat(engine, external_id="en-1")
    onboard(chat, "English")
    iin = make_iin(date(1945, 8, 9))
    apply_for_myself(chat, iin, "Bekov Nurlan", "older person", "Residential care")
    upload_everything(chat, "Send:", skip=("court decision",))
    chat.press("Send the application")
    chat.press("Yes, send it")
    case_id = case_ids(runtime, iin)[0]
    decide_and_notify(runtime, case_id, date(2026, 11, 23))
    chat.send("/start")
    chat.press("Choose an organisation")
    chat.press("Green Garden")
    assert "You are in the queue of Green Garden home. Your place: 1 of 1." in chat.press("Yes, choose")
    return chat, case_id


def postponements(runtime, case_id: int) -> list[tuple[PostponementStatus | None, date | None]]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(
            sa.select(Postponement).where(Postponement.case_id == case_id).order_by(Postponement.id)
        )
        return [(row.status, row.new_due_on) for row in rows]


def test_app1_p7_offer_from_queue_then_illness_postponement_once_in_english(engine, runtime, area, clock):
    home = add_organisation(runtime, area, Form.STATIONARY, [Category.ELDERLY], name="Green Garden home")
    chat, case_id = queued_in_english(engine, runtime, area, home)

    # Not offered yet: the menu does not offer the move, and the button pressed in an old message explains.
    assert "I can't come on time" not in chat.options()
    early = chat.send(choice="menu:late")
    assert "This is for when a place is offered to you" in early and "Your application now: in the queue." in early

    with runtime.context() as ctx:
        placement.free_places(ctx, home)  # the place goes to the first in the queue
    # App.1 p.7: the first in the queue arrives within 10 working days: Mon 23.11.2026 -> Mon 07.12.2026.
    status = chat.send("/status")
    assert "Stage: a free place is offered.\nOrganisation: Green Garden home. Please arrive by 07.12.2026." in status

    reason = chat.press("I can't come on time")
    assert "What prevents you from coming by 07.12.2026?" in reason
    question = chat.press("Illness")
    assert "The latest date allowed is 06.01.2027 (App.1 p.7). The date can be moved only once." in question
    assert "I could not read this date" in chat.send("next week")
    assert "This date is too late. The latest date allowed is 06.01.2027 (App.1 p.7)." in chat.send("07.01.2027")
    assert "must be after your current arrival date, 07.12.2026" in chat.send("01.12.2026")
    certificate = chat.send("20.12.2026")
    assert "medical certificate" in certificate
    assert "Please send a photo or a PDF file." in chat.send("it is at home")
    moved = chat.upload("certificate.jpg", JPEG, "image/jpeg")
    assert "Thank you! The certificate is received." in moved
    assert "Done: your arrival date is now 20.12.2026. Organisation: Green Garden home." in moved
    assert postponements(runtime, case_id) == [(PostponementStatus.APPROVED, date(2026, 12, 20))]

    # A second request: refused at once, in plain words, and recorded for staff.
    chat.press("I can't come on time")
    refused = chat.press("Hospitalisation")
    assert (
        "The arrival date can be moved only once (App.1 p.7), and it has already been moved. Please come by 20.12.2026."
    ) in refused
    assert "The arrival date was not moved." in refused
    assert postponements(runtime, case_id)[-1] == (PostponementStatus.DECLINED, None)
    with runtime.context() as ctx:
        case = cases.get_case(ctx, case_id)
        assert (case.status, case.arrival_due_on) == (Status.OFFERED, date(2026, 12, 20))


def test_app1_p7_free_place_at_choice_gives_15_working_days_in_english(engine, runtime, area, clock):
    add_organisation(runtime, area, Form.STATIONARY, [Category.ELDERLY], free_places=2, name="Sunrise home")
    chat = Chat(engine, external_id="en-2")
    onboard(chat, "English")
    iin = make_iin(date(1944, 4, 4), female=True)
    apply_for_myself(chat, iin, "Omarova Saule", "older person", "Residential care")
    upload_everything(chat, "Send:", skip=("court decision",))
    chat.press("Send the application")
    chat.press("Yes, send it")
    decide_and_notify(runtime, case_ids(runtime, iin)[0], date(2026, 11, 23))
    chat.send("/status")
    listing = chat.press("Choose an organisation")
    assert "• Sunrise home: free places: 2" in listing
    # App.1 p.7: a free place -> arrive within 15 working days of the choice (Mon 23.11.2026 -> Mon 14.12.2026).
    assert "If you choose it, you need to arrive by 14.12.2026." in chat.press("Sunrise home")
    offered = chat.press("Yes, choose")
    assert "A place is held for you at Sunrise home. Please arrive by 14.12.2026." in offered
    assert 'press "I can\'t come on time"' in offered
