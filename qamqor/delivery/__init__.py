"""Delivery: the outbox's notices and the staff's answers out through each person's channel, in their language.

    channels = build_channels(settings, telegram=app.state.telegram.sender)   # + the web chat, always
    worker = DeliveryWorker(runtime, channels)
    await worker.deliver_outbox()     # due notices: claim, render, send, record (row by row)
    await worker.deliver_replies()    # staff answers
    WebInbox(runtime).fetch(cookie)   # the web chat's page fetches what was queued for it

Modules: policy (quiet hours, backoff), limits (rate limits), recipients (who gets what), outbox and replies
(the tables), channels (senders; the web chat's store-and-fetch), worker (the loop), web (the page's inbox).
The scheduler (qamqor/scheduler.py) runs the worker; `qamqor deliver --once` runs one pass by hand.
"""

from qamqor.delivery.channels import Channels, WebChatSender, build_channels, channels_of_app
from qamqor.delivery.limits import RateLimiter
from qamqor.delivery.policy import RetryPolicy, is_quiet, quiet_ends
from qamqor.delivery.web import WebInbox
from qamqor.delivery.worker import DeliveryWorker, Report

__all__ = [
    "Channels",
    "DeliveryWorker",
    "RateLimiter",
    "Report",
    "RetryPolicy",
    "WebChatSender",
    "WebInbox",
    "build_channels",
    "channels_of_app",
    "is_quiet",
    "quiet_ends",
]
