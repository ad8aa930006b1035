"""The unit of work: one transaction around one use case. Services receive the session and never commit.

    with UnitOfWork(session_factory) as uow:
        case = uow.session.get(Case, case_id)
        ...
    # committed here; any exception inside rolled everything back and propagates

A concurrent change of a versioned row (case, conversation) surfaces as ConcurrentUpdateError, which a caller
may retry with a fresh unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session


class ConcurrentUpdateError(Exception):
    """Someone else changed the row since it was read (optimistic locking on `version`)."""


class UnitOfWork:
    """Opens a session on enter; commits on a clean exit, rolls back on an exception; always closes."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._after_commit: list[Callable[[], None]] = []

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it as `with UnitOfWork(...) as uow:`")
        return self._session

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` only once the transaction has committed (e.g. wake the outbox sender)."""
        self._after_commit.append(callback)

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("a unit of work cannot be entered twice")
        self._session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        callbacks, self._after_commit = self._after_commit, []
        try:
            if exc_type is None:
                session.commit()
            else:
                session.rollback()
        except StaleDataError as error:
            session.rollback()
            raise ConcurrentUpdateError(str(error)) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
            self._session = None
        if isinstance(exc, StaleDataError):  # a flush inside the block met a concurrent change
            raise ConcurrentUpdateError(str(exc)) from exc
        if exc_type is None:
            for callback in callbacks:
                callback()
