"""The checklist: what to upload, what the state checks itself by IIN, what is needed at admission; uploading
and replacing a photo or PDF; rejected items with the staff's reason; and, when complete, sending it all.
"""

from __future__ import annotations

from bot.dialogue import casework, texts, timeline
from bot.dialogue.render import bullets, megabytes
from bot.dialogue.turn import CHOICE, FILE, Input, StepDef, Turn
from bot.i18n import N_
from bot.vocabulary import (
    CONDITION_NAMES,
    DOCUMENT_NAMES,
    DOCUMENT_NOTES,
    FORM_NAMES,
    SERVICE_REASONS,
    STATE_CHECK_NAMES,
    explain,
    label,
)
from core.db.enums import DocumentStatus
from core.db.models import Case
from core.rules.codes import DocumentCode, ProvidedBy, Stage, Status
from core.services import decisions, documents
from core.services.documents import ChecklistProgress, ItemState
from core.services.errors import InvalidInput, NotAllowed

FLOW = "documents"
ITEM_KEY = "document"
BRIEF_KEY = "checklist_brief"  # right after an upload: only what is left to send, not the whole list again
# documents.attach accepts changes until the decision (its _EDITABLE_STATUSES): buttons are shown only then.
EDITABLE = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.HOME_VISITED, Status.INSPECTED, Status.IDENTIFIED, Status.FORWARDED}
)

TITLE = N_("Documents for {name}: {form}.")
PROGRESS = N_("Documents: {done} of {total}.")
TO_UPLOAD = N_("Send here a photo or PDF of:")
STATE_CHECKS = N_("We check this ourselves by IIN, you do not need to bring it:")
AT_ADMISSION = N_("At admission, bring the originals:")
BY_ORGANISATION = N_("The organisation prepares:")
UPLOADED = N_("received, the department will check it")
ACCEPTED = N_("accepted")
REJECTED = N_("not accepted: {reason}")
COMPLETE = N_("All the documents are here. You can send the application to the department.")
BUTTON_UPLOAD = N_("Send: {document}")
BUTTON_REPLACE = N_("Replace: {document}")
BUTTON_SUBMIT = N_("Send the application")
UPLOAD = N_("Please send a photo or a PDF of: {document}.\nJPEG, PNG or PDF, up to {limit}.")
UPLOAD_LATER = N_('If you do not have it now, press "Back": you can add it later.')
RECEIVED = N_("Thank you! Received: {document}.")
RECHECK = N_("The department will check it again.")
SUBMIT_CONFIRM = N_(
    "Send the application to the department now?\nIt goes to: {department}.\n"
    "The department checks the documents and may ask you to replace some."
)
SUBMIT_YES = N_("Yes, send it")
SUBMIT_NOT_YET = N_("Not yet")
SUBMITTED = N_("Your application was sent. Department: {department}.")
YOUR_DEPARTMENT = N_("the employment and social programmes department of your district")
NOT_COMPLETE = N_("Some documents are still missing:")


def ask_list(turn: Turn) -> None:
    case = casework.case_or_menu(turn)
    if case is None:
        return
    progress = documents.progress(turn.ctx, case)
    options = []
    if case.status == Status.DRAFT and progress.complete:
        options.append(("submit", turn.t(BUTTON_SUBMIT)))
    if case.status in EDITABLE:
        for state in still_relevant(progress):
            button = BUTTON_UPLOAD if state.status == DocumentStatus.MISSING else BUTTON_REPLACE
            options.append((f"doc:{state.item.code.value}", turn.t(button, document=item_name(turn, state))))
    options.append(("menu:main", turn.t(texts.BUTTON_MENU)))
    brief = bool(turn.data.pop(BRIEF_KEY, False))
    turn.choice(checklist_text(turn, case, progress, brief=brief), options)


def still_relevant(progress: ChecklistProgress) -> list[ItemState]:
    """The items to send, without an alternative nobody needs any more (the medical petition once the
    application is here, and the other way round)."""
    sent = {s.item.code for s in progress.to_upload if s.status in (DocumentStatus.UPLOADED, DocumentStatus.ACCEPTED)}
    return [
        state
        for state in progress.to_upload
        if not (state.status == DocumentStatus.MISSING and sent & set(state.item.alternatives))
    ]


def item_name(turn: Turn, state: ItemState) -> str:
    return label(turn.lang, DOCUMENT_NAMES, state.item.code)


def checklist_text(turn: Turn, case: Case, progress: ChecklistProgress, *, brief: bool = False) -> str:
    name, form = casework.person_name(turn, case), label(turn.lang, FORM_NAMES, case.form)
    parts = [turn.t(TITLE, name=name, form=form), turn.t(PROGRESS, done=progress.done, total=progress.total)]
    uploads = [upload_line(turn, state, with_note=not brief) for state in still_relevant(progress)]
    if uploads:
        parts.append(f"{turn.t(TO_UPLOAD)}\n" + "\n".join(uploads))
    if brief:
        return "\n\n".join([*parts, turn.t(COMPLETE)] if case.status == Status.DRAFT and progress.complete else parts)
    groups = (
        (STATE_CHECKS, [s for s in progress.items if s.item.provided_by == ProvidedBy.STATE]),
        (BY_ORGANISATION, [s for s in progress.items if s.item.provided_by == ProvidedBy.ORGANISATION]),
        (AT_ADMISSION, [s for s in progress.items if _at_admission(s)]),
    )
    for heading, states in groups:
        if states:
            parts.append(f"{turn.t(heading)}\n" + bullets([with_condition(turn, s) for s in states]))
    if case.status == Status.DRAFT and progress.complete:
        parts.append(turn.t(COMPLETE))
    return "\n\n".join(parts)


def _at_admission(state: ItemState) -> bool:
    return state.item.stage == Stage.ADMISSION and state.item.provided_by == ProvidedBy.APPLICANT


def with_condition(turn: Turn, state: ItemState, *, with_note: bool = False) -> str:
    """The item's name, with when it is needed and, if asked, the practical note (who fills the form in)."""
    table = STATE_CHECK_NAMES if state.item.provided_by == ProvidedBy.STATE else DOCUMENT_NAMES
    text = label(turn.lang, table, state.item.code)
    remarks = [explain(turn.lang, CONDITION_NAMES, state.item.condition)] if state.item.condition else []
    if with_note and state.item.note in DOCUMENT_NOTES:
        remarks.append(explain(turn.lang, DOCUMENT_NOTES, state.item.note))
    return f"{text} ({'; '.join(remarks)})" if remarks else text


def upload_line(turn: Turn, state: ItemState, *, with_note: bool = False) -> str:
    text = with_condition(turn, state, with_note=with_note and state.status == DocumentStatus.MISSING)
    if state.status == DocumentStatus.UPLOADED:
        return f"✅ {text}: {turn.t(UPLOADED)}"
    if state.status == DocumentStatus.ACCEPTED:
        return f"✅ {text}: {turn.t(ACCEPTED)}"
    if state.status == DocumentStatus.REJECTED:
        return f"❗ {text}: {turn.t(REJECTED, reason=state.rejection_reason or '—')}"
    return f"⬜ {text}"


def answer_list(turn: Turn, given: Input) -> None:
    case = casework.current_case(turn)
    if case is None:
        turn.go("menu", "main")
        return
    if given.choice == "submit":
        turn.go(FLOW, "submit")
        return
    code = given.choice.removeprefix("doc:")
    uploadable = {state.item.code.value for state in documents.progress(turn.ctx, case).to_upload}
    if not given.choice.startswith("doc:") or code not in uploadable:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    turn.data[ITEM_KEY] = code
    turn.go(FLOW, "upload")


def ask_upload(turn: Turn) -> None:
    code = turn.data.get(ITEM_KEY)
    if code not in {item.value for item in DocumentCode}:
        turn.go(FLOW, "list")
        return
    document = label(turn.lang, DOCUMENT_NAMES, DocumentCode(code))
    turn.request_file(turn.t(UPLOAD, document=document, limit=megabytes(turn.lang, turn.ctx.files.max_bytes)))
    turn.choice(turn.t(UPLOAD_LATER), [("back", turn.t(texts.BUTTON_BACK))])


def answer_upload(turn: Turn, given: Input) -> None:
    case = casework.current_case(turn)
    if given.kind == CHOICE or case is None:
        turn.go(FLOW, "list") if given.choice == "back" or case is None else turn.say(texts.HINT_OLD_BUTTON)
        return
    code = DocumentCode(turn.data[ITEM_KEY])
    attachment = given.attachment
    assert attachment is not None
    try:
        document = documents.attach(turn.ctx, case, code, attachment.file_name, attachment.data)
    except InvalidInput as problem:
        reason = str(problem.details.get("reason", ""))
        turn.text(explain(turn.lang, SERVICE_REASONS, reason, limit=megabytes(turn.lang, turn.ctx.files.max_bytes)))
        return
    except NotAllowed as refusal:
        turn.text(explain(turn.lang, SERVICE_REASONS, refusal.reasons[0] if refusal.reasons else "case_not_editable"))
        turn.go(FLOW, "list")
        return
    if code == DocumentCode.REPRESENTATIVE_PROOF:
        casework.link_representation_proof(turn.ctx, case, document)
    turn.say(RECEIVED, document=label(turn.lang, DOCUMENT_NAMES, code))
    if case.status != Status.DRAFT:
        turn.say(RECHECK)
    turn.data.pop(ITEM_KEY, None)
    turn.data[BRIEF_KEY] = True
    turn.go(FLOW, "list")


def department_or_default(turn: Turn, case: Case) -> str:
    return casework.department_name(turn, case) or turn.t(YOUR_DEPARTMENT)


def ask_submit(turn: Turn) -> None:
    case = casework.current_case(turn)
    if case is None or case.status != Status.DRAFT:
        turn.go(FLOW, "list")
        return
    options = [("send", turn.t(SUBMIT_YES)), ("not_yet", turn.t(SUBMIT_NOT_YET))]
    turn.choice(turn.t(SUBMIT_CONFIRM, department=department_or_default(turn, case)), options)


def answer_submit(turn: Turn, given: Input) -> None:
    case = casework.current_case(turn)
    if given.choice == "not_yet" or case is None:
        turn.go(FLOW, "list")
        return
    if given.choice != "send":
        turn.say(texts.HINT_OLD_BUTTON)
        return
    # The lifecycle names the department as the actor of "submit" (App.1 p.6): in the chat it means the family
    # hands the complete application over; the department still reviews and may reject documents.
    try:
        decisions.submit(turn.ctx, case)
    except NotAllowed as refusal:
        listed = refusal.details.get("missing")
        codes = [str(code) for code in listed] if isinstance(listed, list) else []
        missing = [DOCUMENT_NAMES.get(DocumentCode(code), code) for code in codes]
        if missing:
            turn.text(f"{turn.t(NOT_COMPLETE)}\n{bullets([turn.t(name) for name in missing])}")
        else:
            turn.text(explain(turn.lang, SERVICE_REASONS, refusal.reasons[0] if refusal.reasons else ""))
        turn.go(FLOW, "list")
        return
    turn.say(SUBMITTED, department=department_or_default(turn, case))
    turn.text(timeline.after_submit(turn.lang, case, turn.ctx.today))
    turn.go("menu", "main")


STEPS = {
    "list": StepDef(ask_list, answer_list, frozenset({CHOICE})),
    "upload": StepDef(ask_upload, answer_upload, frozenset({FILE, CHOICE})),
    "submit": StepDef(ask_submit, answer_submit, frozenset({CHOICE})),
}
