"""The channel-neutral applicant dialogue: onboarding and consent, the application, documents, the choice of an
organisation, the queue, postponed arrival and questions to staff. Adapters call `DialogueEngine.handle`."""

from bot.dialogue.engine import DialogueEngine, error_reply, error_text, file_too_large_text
from bot.dialogue.flows.onboarding import CONSENT_TEXT_VERSION

__all__ = ["CONSENT_TEXT_VERSION", "DialogueEngine", "error_reply", "error_text", "file_too_large_text"]
