"""A small scripted dialogue for the Telegram adapter tests: the real engine is tested elsewhere."""

from __future__ import annotations

from bot.messages import Choice, DocumentOut, IncomingMessage, Option, Reply, RequestFile, Text

LONG_OPTION_ID = "service:home_care:" + "x" * 80  # 98 bytes: over Telegram's 64-byte callback data limit
PARAGRAPH = "Арнаулы әлеуметтік қызметтер туралы ақпарат. " * 40  # ~1800 characters
ESSAY = "\n\n".join(f"{number}. {PARAGRAPH}" for number in range(1, 6))  # ~9000 characters, five paragraphs
PDF_BYTES = b"%PDF-1.4\n% a filled application form\n%%EOF\n"
PERSONAL_DATA = "IIN 900101300123"

APOLOGIES = {
    "kk": "Кешіріңіз, бірдеңе дұрыс болмады.",
    "ru": "Извините, что-то пошло не так.",
    "en": "Sorry, something went wrong.",
}


def apology(language_hint: str | None) -> str:
    return APOLOGIES.get((language_hint or "")[:2], APOLOGIES["kk"])


def too_large(language_hint: str | None, max_bytes: int) -> str:
    return f"[{language_hint}] The file is larger than {max_bytes} bytes; please send a smaller one."


class ScriptedDialogue:
    """Echoes text, offers buttons, asks for a file and reports its size; records what it was told."""

    def __init__(self) -> None:
        self.received: list[IncomingMessage] = []

    async def handle(self, message: IncomingMessage) -> list[Reply]:
        self.received.append(message)
        if message.attachment is not None:
            file = message.attachment
            return [Text(f"Got {file.file_name} ({file.mime_type}), {len(file.data)} bytes")]
        if message.contact_phone is not None:
            return [Text(f"Phone {message.contact_phone}")]
        if message.choice is not None:
            return [Text(f"You chose {message.choice}")]
        return self._answer_text(message.text or "", message.language_hint)

    def _answer_text(self, text: str, language: str | None) -> list[Reply]:
        scripted: dict[str, list[Reply]] = {
            "buttons": [Choice("Do you live alone?", (Option("alone_yes", "Yes"), Option("alone_no", "No")))],
            "long": [
                Choice(
                    "Which service do you need?",
                    (Option(LONG_OPTION_ID, "Home care"), Option("day_centre", "Day-care centre")),
                )
            ],
            "file": [RequestFile("Send a photo or PDF of the medical conclusion.")],
            "essay": [Text(ESSAY)],
            "doc": [DocumentOut("application.pdf", "application/pdf", PDF_BYTES, caption="Your application")],
            "": [Text("I could not read that; please type your answer.")],
        }
        if text == "boom":
            raise RuntimeError(f"could not parse {PERSONAL_DATA}")
        return scripted.get(text, [Text(f"You said: {text} (language {language})")])
