"""An organisation's places and queue, and the one thing staff do with them: declare places freed.

A freed place is never given to a person of the officer's choosing: `placement.free_places` offers it to the first
in the organisation's queue in the order of the law (out of turn, veterans, then by the moment of joining; App.1
p.7, p.10, App.2 p.9, App.3 p.10), with the arrival term the rules give, and the family is notified.

Organisation staff see and free their own organisation's places; admins any organisation's. Department staff
follow the queues on the dashboard and the queue list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio
import sqlalchemy as sa
from sqladmin import BaseView, expose
from sqladmin.flash import Flash
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import actions_forms as forms
from admin import actions_policy as policy
from admin import scope
from admin.actions import StepRefused, run_as, signed_in, typed_values
from admin.actions_errors import explain
from admin.actions_texts import DONE_FREED
from admin.actions_workspace import shown_day, shown_time
from admin.i18n import N_, _, current_language, lazy, set_language
from admin.middleware import runtime_of
from admin.principal import Principal, actor_for, principal_from_request
from admin.vocabulary import label
from core.db.enums import OfferStatus, StaffRole
from core.db.models import Offer, Organisation
from core.db.queue_queries import active_queue
from core.services import placement
from core.services.context import ServiceContext
from core.services.errors import InvalidInput

QUEUE_SHOWN = 20
ORGANISATIONS_SHOWN = 200
MAX_FREED_AT_ONCE = 100


@dataclass
class PlaceRow:
    id: int
    name: str
    form: str
    capacity: int
    free_places: int
    accepting: bool
    queue_length: int
    queue: list[dict[str, Any]] = field(default_factory=list)
    offers: list[dict[str, Any]] = field(default_factory=list)


def _name(row: Organisation, language: str) -> str:
    return str(getattr(row, f"name_{language}", None) or row.name_ru)


def _queue(ctx: ServiceContext, organisation_id: int) -> list[dict[str, Any]]:
    return [
        {
            "position": position,
            "case_id": entry.case_id,
            "queued_at": shown_time(entry.queued_at),
            "priority": _("Veteran (first priority)") if entry.priority else "",
            "out_of_turn": entry.out_of_turn,
        }
        for position, entry in enumerate(active_queue(ctx.session, organisation_id, limit=QUEUE_SHOWN), start=1)
    ]


def _offers(ctx: ServiceContext, organisation_id: int) -> list[dict[str, Any]]:
    statement = (
        sa.select(Offer)
        .where(Offer.organisation_id == organisation_id, Offer.status == OfferStatus.OPEN)
        .order_by(Offer.arrival_due_on)
    )
    return [
        {"case_id": offer.case_id, "arrival_due_on": shown_day(offer.arrival_due_on)}
        for offer in ctx.session.scalars(statement)
    ]


def read_places(ctx: ServiceContext, principal: Principal, language: str) -> list[PlaceRow]:
    statement = sa.select(Organisation).where(scope.organisation_clause(principal)).order_by(Organisation.id)
    rows = []
    for organisation in ctx.session.scalars(statement.limit(ORGANISATIONS_SHOWN)):
        organisation_id = int(organisation.id or 0)
        if not policy.may_manage_places(principal, organisation_id):
            continue
        rows.append(
            PlaceRow(
                id=organisation_id,
                name=_name(organisation, language),
                form=label(organisation.form),
                capacity=organisation.capacity,
                free_places=organisation.free_places,
                accepting=organisation.accepting,
                queue_length=placement.queue_length(ctx, organisation_id),
                queue=_queue(ctx, organisation_id),
                offers=_offers(ctx, organisation_id),
            )
        )
    return rows


def free(ctx: ServiceContext, organisation_id: int, count: int) -> str:
    """Declare `count` places freed; they go to the queue in order. More than are taken cannot be freed."""
    organisation = placement.lock_organisation(ctx, organisation_id)
    if count > organisation.capacity - organisation.free_places:
        raise InvalidInput("more places than are taken", reason="count_invalid")
    offers = placement.free_places(ctx, organisation_id, count)
    numbers = ", ".join(_("No. {number}", number=offer.case_id) for offer in offers) or "—"
    return _(DONE_FREED, count=count, offers=numbers)


class PlacesView(BaseView):
    name = lazy(N_("Free places"))
    icon = "fa-solid fa-bed"

    def is_accessible(self, request: Request) -> bool:
        principal = principal_from_request(request)
        return principal is not None and principal.role in (StaffRole.ORGANISATION, StaffRole.ADMIN)

    @expose("/places", methods=["GET"], identity="places")
    async def places(self, request: Request) -> Response:
        return await self.render(request, signed_in(request))

    @expose("/places/{organisation_id}", methods=["POST"], identity="places-free")
    async def free_places(self, request: Request) -> Response:
        principal = signed_in(request)
        raw = str(request.path_params["organisation_id"])
        if not raw.isdigit() or not policy.may_manage_places(principal, int(raw)):
            raise HTTPException(status_code=403)
        form = typed_values(await request.form())

        def work(ctx: ServiceContext) -> str:
            return free(ctx, int(raw), forms.whole_number(form, "count", 1, MAX_FREED_AT_ONCE))

        try:
            done = await anyio.to_thread.run_sync(run_as, request, principal, current_language(), work)
        except StepRefused as refused:
            failed = {"key": raw, "values": form, "message": explain(refused.error)}
            return await self.render(request, principal, failed=failed, status_code=refused.status_code)
        Flash.success(request, done)
        back = form.get("case_id", "")
        if back.isdigit():
            return RedirectResponse(request.url_for("admin:view-case-work", case_id=int(back)), status_code=303)
        return RedirectResponse(request.url_for("admin:view-places"), status_code=303)

    async def render(
        self, request: Request, principal: Principal, *, failed: dict[str, Any] | None = None, status_code: int = 200
    ) -> Response:
        language = current_language()

        def read() -> list[PlaceRow]:
            set_language(language)
            with runtime_of(request).context(actor_for(principal)) as ctx:
                return read_places(ctx, principal, language)

        rows = await anyio.to_thread.run_sync(read)
        context = {"title": _("Free places"), "organisations": rows, "failed": failed or {}}
        return await self.templates.TemplateResponse(request, "actions/places.html", context, status_code=status_code)
