"""The message templates Qamqor assumes are approved in WhatsApp Manager, and which notice uses which.

Outside the 24-hour customer-service window WhatsApp delivers only pre-approved templates. Ours carry no case
details: they say there is news and ask the person to reply, which opens the window again; the delivery worker
holds the full message (outbox status HELD) and sends it once the person writes. Meta renders the bodies below
itself, so they are not gettext strings: any change must be submitted to Meta for approval first, in all three
languages, and this file and README.md ("WhatsApp") updated with it.

All are in the UTILITY category. qamqor_reminder and qamqor_update have one body parameter, {{1}}: the number of
the application the notice is about (the case id; the delivery worker passes it as the first parameter).
qamqor_answer (a staff answer to the person's question) has none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pywa_async.types.templates import TemplateLanguage


@dataclass(frozen=True, slots=True)
class ApprovedTemplate:
    name: str
    bodies: dict[str, str]  # language code -> the approved body text, {{1}} as submitted to Meta
    parameters: int = 1  # how many body parameters the approved template has


REMINDER = ApprovedTemplate(
    name="qamqor_reminder",
    bodies={
        "kk": "Qamqor: № {{1}} өтінішіңіз бойынша мерзім жақындап келеді. Толығырақ оқу үшін осы хабарламаға жауап "
        "беріңіз.",
        "ru": "Qamqor: по вашему заявлению № {{1}} приближается срок. Чтобы прочитать подробности, ответьте на это "
        "сообщение.",
        "en": "Qamqor: a deadline on your application No. {{1}} is coming up. Reply to this message to read the "
        "details.",
    },
)
UPDATE = ApprovedTemplate(
    name="qamqor_update",
    bodies={
        "kk": "Qamqor: № {{1}} өтінішіңіз бойынша жаңалық бар. Оқу үшін осы хабарламаға жауап беріңіз.",
        "ru": "Qamqor: по вашему заявлению № {{1}} есть новости. Чтобы прочитать их, ответьте на это сообщение.",
        "en": "Qamqor: there is news about your application No. {{1}}. Reply to this message to read it.",
    },
)
ANSWER = ApprovedTemplate(
    name="qamqor_answer",
    bodies={
        "kk": "Qamqor: қызметкер сұрағыңызға жауап берді. Жауапты оқу үшін осы хабарламаға жауап беріңіз.",
        "ru": "Qamqor: сотрудник ответил на ваш вопрос. Чтобы прочитать ответ, ответьте на это сообщение.",
        "en": "Qamqor: a member of staff has answered your question. Reply to this message to read the answer.",
    },
    parameters=0,
)
TEMPLATES = (REMINDER, UPDATE, ANSWER)

# Notices that remind of something coming up (bot.notice_texts); staff answers; every other notice is news.
REMINDER_KINDS = frozenset(
    {
        "choose_reminder",
        "arrival_reminder",
        "postponement_ending",
        "medical_recheck",
        "ipr_expiring",
        "still_need_place",
    }
)
ANSWER_KINDS = frozenset({"staff_answer", "staff_reply", "answer", "reply"})
LANGUAGES = {"kk": TemplateLanguage.KAZAKH, "ru": TemplateLanguage.RUSSIAN, "en": TemplateLanguage.ENGLISH}
PARAMETER_LIMIT = 60  # characters; Meta refuses long values in a utility template
_NO_PARAMETER = "—"
_SPACES = re.compile(r"\s+")


def template_for(notice_kind: str) -> ApprovedTemplate:
    """The template for an outbox row's kind (or a staff answer): reminders, answers, news for everything else."""
    if notice_kind in REMINDER_KINDS or notice_kind.endswith("_reminder"):
        return REMINDER
    if notice_kind in ANSWER_KINDS:
        return ANSWER
    return UPDATE


def template_language(language: str) -> TemplateLanguage:
    """Kazakh, Russian or English; anything else falls back to Kazakh, like the dialogue does."""
    return LANGUAGES.get(language, TemplateLanguage.KAZAKH)


def body_parameters(template: ApprovedTemplate, params: Sequence[str]) -> list[str]:
    """As many values as the template has placeholders, cleaned the way Meta requires: no newlines or tabs, no
    runs of spaces, not too long; a missing one is a dash (Meta refuses a template with a parameter missing)."""
    values = []
    for index in range(template.parameters):
        value = _SPACES.sub(" ", str(params[index])).strip() if index < len(params) else ""
        if len(value) > PARAMETER_LIMIT:
            value = value[: PARAMETER_LIMIT - 1] + "…"
        values.append(value or _NO_PARAMETER)
    return values


def rendered_body(template: ApprovedTemplate, language: str, params: Sequence[str]) -> str:
    """The text the person reads (for tests and staff views): the approved body with its placeholders filled in."""
    body = template.bodies.get(language, template.bodies["kk"])
    for number, value in enumerate(body_parameters(template, params), start=1):
        body = body.replace(f"{{{{{number}}}}}", value)
    return body
