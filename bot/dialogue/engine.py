"""The dialogue engine: one incoming message -> one transaction -> the replies the person reads.

    engine = DialogueEngine(runtime)
    replies = await engine.handle(IncomingMessage(channel="telegram", external_id="42", text="/start"))

Each message opens one `Runtime.context` (one transaction): the chat identity is found or created, its
conversation loaded, the step run, the state saved. The state lives in the database, so a restarted process
carries on every conversation. A platform update (`handle_update`) is recorded as handled in that same
transaction: it counts as handled exactly when its turn is committed, and a redelivered one changes nothing.
Two messages of one chat racing each other meet the optimistic lock of the conversation row; the loser is run
again once on fresh state. An unexpected error inside a flow is logged without personal data and answered with
an apology and the main menu: never silence.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import traceback
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from bot.dialogue import commands, flows, texts
from bot.dialogue.casework import has_consent
from bot.dialogue.flows import menu
from bot.dialogue.flows.onboarding import CONSENT_TEXT_VERSION
from bot.dialogue.render import megabytes
from bot.dialogue.state import find_chat, load_conversation, read_state, record_arrival, save_state
from bot.dialogue.turn import CHOICE, EMPTY, FILE, OPTIONS_KEY, TEXT, Input, StepDef, Turn, typed_choice
from bot.i18n import gettext, normalise_language
from bot.messages import Choice, IncomingMessage, Option, Reply
from core.db.enums import Channel, Language
from core.db.idempotency import claim_update
from core.db.masking import mask_iins_in_text
from core.db.models import ChatIdentity
from core.db.uow import ConcurrentUpdateError
from core.services import people
from core.services.context import ServiceContext
from qamqor.runtime import Runtime

log = logging.getLogger(__name__)

MAX_REDIRECTS = 8
_LONG_NUMBER = re.compile(r"\+?\d(?:[ ()-]?\d){9,}")  # phone numbers and other long digit runs
_SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*")  # SQLAlchemy errors quote the row's values (names...)


class StepFailed(Exception):
    """An unexpected error inside a step; carries where it happened (never what the person wrote)."""

    def __init__(self, flow: str | None, step: str | None) -> None:
        super().__init__(f"{flow}/{step}")
        self.flow, self.step = flow, step


class AlreadyHandled(Exception):
    """The update was recorded as handled by an earlier turn: this turn is rolled back and says nothing."""


class DialogueEngine:
    """The channel-neutral dialogue (bot.messages.Dialogue) over the services of `runtime`."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        # SQLite has one writer: overlapping turns only meet in its busy handler, which sleeps 1, 2, 5, 10... ms
        # between tries (p99 about 3x higher in `qamqor bench dialogue`). One turn at a time per process instead
        # waits on a lock that wakes the next turn as soon as the last one has committed; the GIL ran one turn's
        # Python at a time anyway. PostgreSQL turns overlap freely (row locks).
        sqlite = runtime.engine.dialect.name == "sqlite"
        self._one_turn: AbstractContextManager[Any] = threading.Lock() if sqlite else nullcontext()

    async def handle(self, message: IncomingMessage) -> list[Reply]:
        # The services are synchronous (SQLAlchemy sessions): keep the event loop free for other chats.
        return await asyncio.to_thread(self.handle_sync, message)

    async def handle_update(self, message: IncomingMessage, update_id: str) -> list[Reply] | None:
        """Like `handle`, for a platform update with an id: the id is recorded in the turn's own transaction,
        so no separate transaction is needed for it. None when the update was handled before (say nothing)."""
        return await asyncio.to_thread(self.handle_update_sync, message, update_id)

    def handle_sync(self, message: IncomingMessage) -> list[Reply]:
        replies = self._handle(message, None)
        assert replies is not None  # only an update id can have been handled before
        return replies

    def handle_update_sync(self, message: IncomingMessage, update_id: str) -> list[Reply] | None:
        return self._handle(message, update_id)

    def _handle(self, message: IncomingMessage, update_id: str | None) -> list[Reply] | None:
        seen: dict[str, str] = {}  # the person's language once known, for an apology that cannot reach the DB
        for attempt in (1, 2):
            try:
                with self._one_turn:
                    return self._turn(message, update_id, seen)
            except AlreadyHandled:
                log.info("%s update %s already handled; skipped", message.channel, update_id)
                return None
            except (ConcurrentUpdateError, IntegrityError):
                # The version check of the conversation, or two first messages of a new chat both creating its
                # identity or conversation (unique keys): run the turn again on fresh state, once.
                if attempt == 1:
                    log.info("conversation changed concurrently on %s; running the turn again", message.channel)
                    continue
                log.warning("conversation changed concurrently twice on %s; apologising", message.channel)
            except StepFailed as failure:
                log.error("dialogue step %s/%s failed:\n%s", failure.flow, failure.step, scrubbed(failure.__cause__))
            except Exception as error:
                log.error("dialogue turn failed outside a step:\n%s", scrubbed(error))
            break
        return self._recover(message, update_id, seen.get("lang"))

    def error_reply(self, lang_hint: str | None) -> list[Reply]:
        return error_reply(lang_hint)

    def _turn(self, message: IncomingMessage, update_id: str | None, seen: dict[str, str]) -> list[Reply]:
        with self.runtime.context() as ctx:
            identity, consented = self._open_chat(ctx, message)
            seen["lang"] = Language(identity.language).value
            conversation = load_conversation(ctx, identity)
            turn = Turn(ctx, identity, read_state(conversation))
            turn.consented = consented
            turn.act_as_person()
            flow, step = turn.where
            try:
                play(turn, Input.of(message))
            except (StaleDataError, ConcurrentUpdateError):
                raise
            except Exception as error:
                raise StepFailed(flow, step) from error
            # The writes at the end: on SQLite the write lock is held only for this last moment of the turn.
            save_state(ctx, conversation, turn.state)
            record_arrival(ctx, identity, ctx.now)
            record_update(ctx, message, update_id)
            return turn.replies

    def _open_chat(self, ctx: ServiceContext, message: IncomingMessage) -> tuple[ChatIdentity, bool]:
        """The chat's identity and whether it consented: a known chat in one read, a new one created."""
        channel = Channel(message.channel)
        known = find_chat(ctx, channel, message.external_id, CONSENT_TEXT_VERSION)
        if known is not None:
            return known.identity, known.consented
        identity = people.chat_identity(
            ctx,
            channel,
            message.external_id,
            language=Language(normalise_language(message.language_hint)),
            display_name=message.display_name,
        )
        return identity, has_consent(ctx, identity.id, CONSENT_TEXT_VERSION)

    def _recover(self, message: IncomingMessage, update_id: str | None, lang: str | None) -> list[Reply] | None:
        """After a failure: the apology, then the main menu (or the onboarding question), in a fresh transaction
        that records the update as handled (the apology is its answer)."""
        try:
            with self._one_turn, self.runtime.context() as ctx:
                identity = people.chat_identity(ctx, Channel(message.channel), message.external_id)
                conversation = load_conversation(ctx, identity)
                turn = Turn(ctx, identity, read_state(conversation))
                turn.consented = has_consent(ctx, identity.id, CONSENT_TEXT_VERSION)
                turn.say(texts.APOLOGY)
                turn.go(*default_step(turn))
                ask_current(turn)
                save_state(ctx, conversation, turn.state)
                record_update(ctx, message, update_id)
                return turn.replies
        except AlreadyHandled:
            return None
        except Exception as error:
            log.error("dialogue recovery failed:\n%s", scrubbed(error))
            return error_reply(lang or message.language_hint)


def record_update(ctx: ServiceContext, message: IncomingMessage, update_id: str | None) -> None:
    """Claim the platform update in the turn's transaction; AlreadyHandled (rolling the turn back) if it was."""
    if update_id is not None and not claim_update(ctx.session, Channel(message.channel), update_id, at=ctx.now):
        raise AlreadyHandled(update_id)


def play(turn: Turn, given: Input) -> None:
    """Take the input (a command anywhere, else the current step's answer), then ask the current question."""
    current = flows.step(*turn.where)
    if current is not None and given.kind == TEXT and TEXT not in current.accepts:
        mapped = typed_choice(turn, given.text)
        if mapped is not None:
            given = Input(CHOICE, choice=mapped)
    command = commands.parse(given)
    if command is not None:
        commands.run(turn, command)
    else:
        route(turn, given, current)
    ask_current(turn)


def route(turn: Turn, given: Input, current: StepDef | None) -> None:
    if current is None or not allowed_now(turn):
        turn.go(*default_step(turn))  # a new chat, or consent missing: start where one must start
        return
    if given.kind == CHOICE and given.choice.startswith("menu:"):
        if not turn.consented:
            turn.say(texts.HINT_CONSENT_FIRST)
            return
        if menu.navigate(turn, given.choice):
            return  # menu buttons work from any older message too
    if given.kind not in current.accepts:
        turn.say(hint_for(current, given))
        return
    current.answer(turn, given)


def allowed_now(turn: Turn) -> bool:
    return turn.consented or turn.state.flow in flows.BEFORE_CONSENT


def default_step(turn: Turn) -> tuple[str, str]:
    if turn.consented:
        return ("menu", "main")
    if turn.state.flow == "onboarding" and turn.state.step in ("consent", "refused"):
        return ("onboarding", turn.state.step)
    return ("onboarding", "language")


def hint_for(current: StepDef, given: Input) -> str:
    if given.kind == EMPTY:
        return texts.HINT_EMPTY
    if given.kind == FILE:
        return texts.HINT_FILE_NOT_NEEDED
    if given.kind == CHOICE:
        return texts.HINT_OLD_BUTTON
    if FILE in current.accepts:
        return texts.HINT_SEND_FILE
    return texts.HINT_PRESS_BUTTON if TEXT not in current.accepts else texts.HINT_TYPE_TEXT


def ask_current(turn: Turn) -> None:
    """Ask the question of the current step; a step may move on while asking (e.g. nothing to ask there)."""
    turn.data.pop(OPTIONS_KEY, None)
    for _ in range(MAX_REDIRECTS):
        if flows.step(*turn.where) is None or not allowed_now(turn):
            turn.go(*default_step(turn))
        where = turn.where
        current = flows.step(*where)
        assert current is not None
        current.ask(turn)
        if turn.where == where:
            return
    raise RuntimeError(f"the dialogue kept moving without asking anything (last at {turn.where})")


def scrubbed(error: BaseException | None) -> str:
    """The traceback with every IIN and long number masked: logs never hold personal data."""
    if error is None:
        return ""
    text = "".join(traceback.format_exception(error))
    text = _SQL_PARAMETERS.sub("[parameters hidden]", text)
    return _LONG_NUMBER.sub("***", mask_iins_in_text(text))


def error_text(lang_hint: str | None) -> str:
    """The apology in the person's language (for adapters that send plain text when handling failed)."""
    return gettext(normalise_language(lang_hint), texts.APOLOGY)


def error_reply(lang_hint: str | None) -> list[Reply]:
    """What an adapter sends when the dialogue could not answer at all: the apology and a Main menu button."""
    lang = normalise_language(lang_hint)
    return [Choice(gettext(lang, texts.APOLOGY), (Option("cmd:menu", gettext(lang, texts.BUTTON_MENU)),))]


def file_too_large_text(lang_hint: str | None, max_bytes: int) -> str:
    """For adapters that refuse a file before downloading it (its size is over the limit)."""
    lang = normalise_language(lang_hint)
    return gettext(lang, texts.FILE_TOO_LARGE, limit=megabytes(lang, max_bytes))
