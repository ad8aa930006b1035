"""The in-memory update ledger: a repeated update id is refused, per channel, within a bounded memory."""

from __future__ import annotations

import asyncio

from bot.ledger import InMemoryUpdateLedger


async def test_ledger_first_delivery_true_repeat_false():
    ledger = InMemoryUpdateLedger()

    assert await ledger.first_time("telegram", "501") is True
    assert await ledger.first_time("telegram", "501") is False


async def test_ledger_same_id_on_another_channel_is_another_update():
    ledger = InMemoryUpdateLedger()
    await ledger.first_time("telegram", "501")

    assert await ledger.first_time("whatsapp", "501") is True


async def test_ledger_concurrent_deliveries_only_one_wins():
    ledger = InMemoryUpdateLedger()

    results = await asyncio.gather(*(ledger.first_time("telegram", "7") for _ in range(10)))

    assert results.count(True) == 1


async def test_ledger_bounded_forgets_the_oldest():
    ledger = InMemoryUpdateLedger(max_entries=3)
    for update_id in ("1", "2", "3", "4"):
        await ledger.first_time("telegram", update_id)

    assert len(ledger) == 3
    assert await ledger.first_time("telegram", "4") is False
    assert await ledger.first_time("telegram", "1") is True  # long gone; platforms never re-send that late
