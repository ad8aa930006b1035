"""`qamqor bench ...`: benchmarks that print figures (speed goals live here, never in timed unit tests)."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url

from qamqor.cli.common import UsageError
from qamqor.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("bench", help="run a benchmark and print its figures")
    sub = parser.add_subparsers(dest="bench_command", required=True)
    queue = sub.add_parser("queue", help="queue position and offer-to-next with a long queue")
    queue.add_argument("--entries", type=int, default=100_000, help="people waiting in one queue")
    queue.add_argument("--samples", type=int, default=300, help="timed operations of each kind")
    queue.set_defaults(handler=_queue)
    dialogue = sub.add_parser("dialogue", help="Telegram webhook updates/s and p99: the dialogue vs a bare echo bot")
    dialogue.add_argument("--chats", type=int, default=50, help="simulated people, each in their own chat")
    dialogue.add_argument("--updates", type=int, default=2000, help="updates sent in all (shared out over the chats)")
    dialogue.add_argument("--concurrency", type=int, default=8, help="updates in flight at once")
    dialogue.set_defaults(handler=_dialogue)
    reminders = sub.add_parser(
        "reminders", help="one sweep over due reminders, and the delivery rate to a fake Bot API"
    )
    reminders.add_argument("--due", type=int, default=100_000, help="due notices (one family and chat each)")
    reminders.add_argument("--sample", type=int, default=2_000, help="rows delivered with rate limits off")
    reminders.add_argument("--limited-sample", type=int, default=150, help="rows delivered with rate limits on")
    reminders.set_defaults(handler=_reminders)


def _queue(args: argparse.Namespace) -> int:
    from qamqor.bench import queue

    settings = Settings()
    backend = make_url(settings.effective_database_url).get_backend_name()
    print(f"queue benchmark: {args.entries} entries on {backend} (a throwaway database)")
    figures = queue.run(settings, args.entries, args.samples)
    print(f"  filled in {figures['fill_seconds']:.1f} s")
    print(
        f"  position lookup  p50 {figures['position_p50']:.2f} ms   p95 {figures['position_p95']:.2f} ms"
        "   (aim: p95 < 5 ms)"
    )
    print(
        f"  offer to next    p50 {figures['offer_p50']:.2f} ms   p95 {figures['offer_p95']:.2f} ms   (aim: p95 < 20 ms)"
    )
    return 0


def _dialogue(args: argparse.Namespace) -> int:
    from qamqor.bench import dialogue

    if min(args.chats, args.updates, args.concurrency) < 1:
        raise UsageError("--chats, --updates and --concurrency must be at least 1")
    settings = Settings(scheduler_enabled=False)  # the benchmark measures the dialogue, not background jobs
    backend = make_url(settings.effective_database_url).get_backend_name()
    print(
        f"dialogue benchmark: {args.updates} updates from {args.chats} chats, concurrency {args.concurrency},"
        f" on {backend} (a throwaway database)"
    )
    result = dialogue.run(settings, chats=args.chats, updates=args.updates, concurrency=args.concurrency)
    for name, figures in (("qamqor dialogue", result.dialogue), ("bare echo", result.echo)):
        print(
            f"  {name:<17}: {figures.per_second:6.0f} updates/s   p50 {figures.percentile(0.5):6.1f} ms"
            f"   p99 {figures.percentile(0.99):6.1f} ms"
        )
    print(f"  ratio (throughput): {result.ratio:.2f}   (aim: at least 0.5)")
    print(
        f"  check: {result.applications_opened} applications opened,"
        f" {result.dialogue.presses_missed} presses found no button"
    )
    return 0


def _reminders(args: argparse.Namespace) -> int:
    from qamqor.bench import reminders

    if min(args.due, args.sample, args.limited_sample) < 1:
        raise UsageError("--due, --sample and --limited-sample must be at least 1")
    sample, limited = min(args.sample, args.due), min(args.limited_sample, args.due)
    settings = Settings(scheduler_enabled=False)
    backend = make_url(settings.effective_database_url).get_backend_name()
    print(f"reminders benchmark: {args.due} due notices on {backend} (a throwaway database)", flush=True)
    reminders.run(settings, args.due, sample, limited, say=lambda line: print(line, flush=True))
    return 0
