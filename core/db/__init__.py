"""Persistence: SQLModel tables (core.db.models), engines and sessions (core.db.engine), the unit of work
(core.db.uow), migrations run from code (core.db.migrate) and a few index-backed queries.

Nothing in this package connects to a database at import time.
"""
