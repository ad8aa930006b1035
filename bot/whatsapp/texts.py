"""What only WhatsApp shows: the words around lists and numbered choices (catalogue part `whatsapp.po`)."""

from __future__ import annotations

from bot.i18n import N_

# The button that opens a list of options (WhatsApp allows at most 20 characters).
LIST_BUTTON = N_("Choose an option")
# The heading above the options inside the opened list (at most 24 characters).
LIST_SECTION = N_("Options")
# Under a question shown as numbered text (more options than a WhatsApp list can hold).
REPLY_WITH_NUMBER = N_("Reply with the number of your choice.")
