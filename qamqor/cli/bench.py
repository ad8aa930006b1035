"""`qamqor bench ...`: benchmarks that print figures (speed goals live here, never in timed unit tests)."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url

from qamqor.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("bench", help="run a benchmark and print its figures")
    sub = parser.add_subparsers(dest="bench_command", required=True)
    queue = sub.add_parser("queue", help="queue position and offer-to-next with a long queue")
    queue.add_argument("--entries", type=int, default=100_000, help="people waiting in one queue")
    queue.add_argument("--samples", type=int, default=300, help="timed operations of each kind")
    queue.set_defaults(handler=_queue)


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
