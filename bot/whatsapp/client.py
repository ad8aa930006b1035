"""The pywa client pointed at the configured Graph API, and what its errors mean for delivery.

pywa builds the Graph API address from a fixed host (https://graph.facebook.com/v<version>) when the client is
created. Its HTTP session is ours (pywa accepts one), so we set the session's base URL back to
`QAMQOR_WHATSAPP__API_BASE_URL` right after: every call pywa makes is relative to it (`/<phone id>/messages`,
`/<phone id>/media`, `/<media id>`), and media downloads go to the absolute URL the API returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError

from bot.delivery import DeliveryError, OutsideWindow, RetryLater, Unreachable
from qamqor.settings import Settings

CHANNEL = "whatsapp"
GRAPH_API_VERSION = "23.0"  # pinned: a newer Graph API version is adopted deliberately, with the tests
HTTP_TIMEOUT_SECONDS = 30.0

# Cloud API error codes (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
RE_ENGAGEMENT = 131047  # more than 24 hours since the person's last message: only a template may go out
# Rate limits, with how long to wait before the next try (Meta sends no Retry-After with these).
RETRY_AFTER_SECONDS = {
    4: 60.0,  # the app's call-rate limit
    80007: 60.0,  # the business account's rate limit
    130429: 5.0,  # the phone number's throughput
    131056: 60.0,  # too many messages to this one person in a short time
}
DEFAULT_RETRY_AFTER_SECONDS = 5.0
# The number cannot receive: not on WhatsApp, an outdated app, not an allowed test number, our own number.
UNREACHABLE = frozenset({131026, 131030, 131021, 131050})


@dataclass(frozen=True, slots=True)
class WhatsAppClient:
    """The pywa client and the HTTP session it uses (ours to close)."""

    wa: WhatsApp
    session: httpx.AsyncClient

    async def close(self) -> None:
        await self.session.aclose()


def is_configured(settings: Settings) -> bool:
    whatsapp = settings.whatsapp
    return bool(whatsapp.phone_number_id and whatsapp.token is not None and whatsapp.token.get_secret_value())


def make_client(settings: Settings) -> WhatsAppClient:
    """A client sending from settings.whatsapp.phone_number_id to settings.whatsapp.api_base_url. Opens nothing."""
    if not is_configured(settings):
        raise ValueError("QAMQOR_WHATSAPP__PHONE_NUMBER_ID and QAMQOR_WHATSAPP__TOKEN must be set")
    whatsapp = settings.whatsapp
    assert whatsapp.token is not None  # is_configured
    session = httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS)
    wa = WhatsApp(
        phone_id=whatsapp.phone_number_id,
        token=whatsapp.token.get_secret_value(),
        session=session,
        server=None,  # our FastAPI routes receive the webhook (signature, ledger, ordering)
        api_version=GRAPH_API_VERSION,
    )
    session.base_url = httpx.URL(f"{whatsapp.api_base_url.rstrip('/')}/v{GRAPH_API_VERSION}/")
    return WhatsAppClient(wa, session)


def delivery_error(error: Exception, *, delivered: int) -> DeliveryError:
    """The bot.delivery error a failed Graph API call stands for. Messages name the code only, never content."""
    if isinstance(error, WhatsAppError):
        code = error.code
        if code == RE_ENGAGEMENT:
            return OutsideWindow("the 24-hour window is closed (131047)", delivered=delivered)
        if code in RETRY_AFTER_SECONDS:
            return RetryLater(RETRY_AFTER_SECONDS[code], delivered=delivered)
        if code in UNREACHABLE:
            return Unreachable(f"the number cannot receive WhatsApp messages ({code})", delivered=delivered)
        if error.status_code == 429:
            return RetryLater(DEFAULT_RETRY_AFTER_SECONDS, delivered=delivered)
        return DeliveryError(f"WhatsApp error {code}", delivered=delivered)
    if isinstance(error, httpx.HTTPStatusError) and error.response.status_code == 429:
        return RetryLater(DEFAULT_RETRY_AFTER_SECONDS, delivered=delivered)
    return DeliveryError(f"WhatsApp request failed: {type(error).__name__}", delivered=delivered)
