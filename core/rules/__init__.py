"""The rules of Order No. 263 (2023) and its four standards, as pure data and small functions.

Nothing in this package performs I/O, imports a framework or the database, or reads the clock:
the date and the working-day calendar are always passed in (a test enforces it).
"""
