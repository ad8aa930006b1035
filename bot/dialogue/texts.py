"""Texts shared by every flow: hints for unexpected input, the main menu, help, cancel and the apology.

Plain, warm, short sentences: many who write are elderly people or parents of disabled children.
"""

from __future__ import annotations

from bot.i18n import N_

# Hints before a question is asked again.
HINT_PRESS_BUTTON = N_("Please choose one of the buttons below.")
HINT_TYPE_TEXT = N_("Please type your answer as a message.")
HINT_SEND_FILE = N_("Please send a photo or a PDF file.")
HINT_FILE_NOT_NEEDED = N_("Thank you, but I do not need a file here.")
HINT_EMPTY = N_("I could not read this message. I understand text, buttons, photos and PDF files.")
HINT_OLD_BUTTON = N_("That button belongs to an earlier question. Here is the current one.")
HINT_UNKNOWN_COMMAND = N_("I do not know this command. Here is where we are.")
HINT_CONSENT_FIRST = N_("First, please answer this question: without your consent I cannot continue.")

# Buttons used in many places.
BUTTON_MENU = N_("Main menu")
BUTTON_BACK = N_("Back")
BUTTON_YES = N_("Yes")
BUTTON_NO = N_("No")
BUTTON_ASK_STAFF = N_("Ask staff")

# The main menu.
MENU_TITLE = N_("Main menu. What would you like to do?")
MENU_APPLY = N_("New application")
MENU_STATUS = N_("My status")
MENU_DOCUMENTS = N_("Documents")
MENU_LATE = N_("I can't come on time")
MENU_ASK = N_("Ask staff")
MENU_LANGUAGE = N_("Тіл / Язык / Language")
MENU_HELP = N_("Help")
MENU_CHOOSE = N_("Choose an organisation")
MENU_SWITCH = N_("Another application")
SWITCH_TITLE = N_("Which application do you mean?")
SWITCHED = N_("Now we are talking about the application for {name}.")

HELP = N_(
    "Qamqor helps you get special social services: residential care, day care, home care or a temporary stay "
    "in a shelter.\n"
    "Here you can:\n"
    "• make a new application and upload documents;\n"
    "• follow your application and your place in the queue;\n"
    "• choose an organisation after the decision;\n"
    "• move your arrival date if you are ill;\n"
    "• ask the department's staff a question: the answer comes to this chat.\n"
    "Commands: /start (main menu), /status, /language, /cancel (stop the current step), /help."
)

CANCELLED = N_(
    "Stopped. Nothing is lost: what you entered is kept in your draft application. "
    "You can continue at any time from the main menu."
)
CANCELLED_PLAIN = N_("Stopped. Nothing has changed in your application.")
NOTHING_TO_CANCEL = N_("There is nothing to stop now.")

APOLOGY = N_("Sorry, something went wrong on our side. Please try again in a minute.")
FILE_TOO_LARGE = N_("This file is too large. The limit is {limit}. Please send a smaller photo or PDF.")

NO_CASE_YET = N_('You have no application yet. You can start one from the main menu: "New application".')
