"""`qamqor setup` (the README's run command prepares the embedded database) and the benchmark command."""

from __future__ import annotations

import re

import sqlalchemy as sa

from core.db.engine import make_engine
from qamqor.cli import main


def test_setup_migrates_and_loads_demo_organisations_of_all_four_forms_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(tmp_path / "data"))
    assert main(["setup"]) == 0
    assert "Demo organisations loaded." in capsys.readouterr().out
    assert main(["setup"]) == 0  # repeating is safe and loads nothing twice
    assert "Demo data already present." in capsys.readouterr().out

    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'qamqor.db'}")
    with engine.connect() as connection:
        forms = {row[0] for row in connection.execute(sa.text("SELECT DISTINCT form FROM organisation"))}
        with_free = connection.scalar(sa.text("SELECT count(*) FROM organisation WHERE free_places > 0"))
        paused = connection.scalar(sa.text("SELECT count(*) FROM organisation WHERE NOT accepting"))
        waiting = connection.scalar(sa.text("SELECT count(*) FROM queue_entry WHERE active"))
    engine.dispose()
    assert forms == {"stationary", "semi_stationary", "home", "temporary_stay"}
    assert with_free >= 3 and paused >= 1 and waiting >= 10


def test_bench_queue_prints_percentiles_for_position_and_offer(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(tmp_path / "data"))
    assert main(["bench", "queue", "--entries", "400", "--samples", "20"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"position lookup\s+p50 [\d.]+ ms\s+p95 [\d.]+ ms", out)
    assert re.search(r"offer to next\s+p50 [\d.]+ ms\s+p95 [\d.]+ ms", out)
