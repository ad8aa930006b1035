"""Order No. 163 of 30.04.2026 flags (rules-digest §8), checked row by row against the notes in the Kazakh seed.

The seed helpers here (`needs_seed`, `seed_paragraph_opening`, `seed_subparagraphs`) are shared by the lifecycle
and grounds tests, which check that every paragraph they cite exists in its appendix.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from core.rules.amendments import (
    FLAGGED_PROVISIONS,
    ORDER_163_IN_FORCE,
    flagged_provisions,
    flags_for,
    is_flagged,
)
from core.rules.legal import ref
from qamqor.cli import main

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_d01cc3ed31ded880.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="the Kazakh seed is not beside the repository")

_APPENDIX_HEADER = re.compile(r"^\s*(\d) қосымша\s*$")
_PARAGRAPH = re.compile(r"^\s+(\d+(?:-\d+)?)\.\s")
_SUBPARAGRAPH = re.compile(r"^\s+(\d+)\)\s")


@cache
def seed_lines() -> tuple[str, ...]:
    return tuple(SEED.read_text(encoding="utf-8").splitlines())


def appendix_at(line_number: int) -> int:
    """The appendix (standard) a 1-based seed line belongs to."""
    headers = [int(m[1]) for line in seed_lines()[:line_number] if (m := _APPENDIX_HEADER.match(line))]
    return headers[-1] if headers else 0


@cache
def _chapters_1_2(appendix: int) -> tuple[str, ...]:
    """The numbered text of a standard: from its header to its chapter 3 (the annexes follow)."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if (m := _APPENDIX_HEADER.match(line)) and m[1] == str(appendix))
    end = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("3-тарау"))
    return lines[start:end]


def seed_paragraph_opening(appendix: int, paragraph: str) -> str:
    """The first line of a paragraph ("" when the appendix has none), e.g. to see it is not "Алып тасталды"."""
    for line in _chapters_1_2(appendix):
        if (match := _PARAGRAPH.match(line)) and match[1] == paragraph:
            return line.strip()
    return ""


def seed_subparagraphs(appendix: int, paragraph: str) -> set[str]:
    """The sub-items `N)` printed under `paragraph` (any of its parts)."""
    found: set[str] = set()
    inside = False
    for line in _chapters_1_2(appendix):
        if match := _PARAGRAPH.match(line):
            inside = match[1] == paragraph
        elif inside and (match := _SUBPARAGRAPH.match(line)):
            found.add(match[1])
    return found


# (citation, seed line of the note, the note's own words in Kazakh)
FLAGS = [
    pytest.param("App.1 p.5 (part 2, first paragraph)", 80, "5-тармақтың екінші бөлігінің бірінші абзацы",
                 id="app1_p5_part2_iin_lookups"),
    pytest.param("App.1 p.5 (part 3)", 100, "5-тармақтың үшінші бөлігі", id="app1_p5_part3_court_copy"),
    pytest.param("App.1 p.6 (whole paragraph)", 112, "6-тармақ жаңа", id="app1_p6_e_sobes_entry"),
    pytest.param("App.1 p.7 (part 2)", 122, "7-тармақтың екінші бөлігі", id="app1_p7_part2_sms"),
    pytest.param("App.1 p.8.3 (sub-paragraph 3)", 156, "3) тармақша", id="app1_p8_3_portal_card_documents"),
    pytest.param("App.1 p.20 (whole paragraph)", 240, "20-тармақ", id="app1_p20_disability_registration"),
    pytest.param("App.1 p.23 (whole paragraph)", 266, "23-тармақ", id="app1_p23_head_order_e_sobes_mark"),
    pytest.param("App.1 annex 1 (application form)", 305, "1-қосымша", id="app1_annex1_application_form"),
    pytest.param("App.2 p.5 (part 2, first paragraph)", 2273, "5-тармақтың екінші бөлігінің бірінші абзацы",
                 id="app2_p5_part2_iin_lookups"),
    pytest.param("App.2 p.5 (part 3)", 2293, "5-тармақтың үшінші бөлігі", id="app2_p5_part3_court_copy"),
    pytest.param("App.2 p.6 (whole paragraph)", 2303, "6-тармақ жаңа", id="app2_p6_e_sobes_entry"),
    pytest.param("App.2 p.7 (part 2)", 2313, "7-тармақтың екінші бөлігі", id="app2_p7_part2_sms"),
    pytest.param("App.2 p.8.3 (sub-paragraph 3)", 2339, "3) тармақша", id="app2_p8_3_documents_to_organisation"),
    pytest.param("App.2 p.12 (whole paragraph)", 2373, "12-тармақ", id="app2_p12_disability_registration"),
    pytest.param("App.2 p.16 (whole paragraph)", 2405, "16-тармақ", id="app2_p16_head_order_e_sobes_mark"),
    pytest.param("App.3 p.5 (part 2, first paragraph)", 3358, "5-тармақтың екінші бөлігінің бірінші абзацы",
                 id="app3_p5_part2_iin_lookups"),
    pytest.param("App.3 p.6 (whole paragraph)", 3378, "6-тармақ жаңа", id="app3_p6_e_sobes_entry"),
    pytest.param("App.3 p.8 (part 5)", 3394, "8-тармақтың бесінші бөлігі", id="app3_p8_part5_sms"),
    pytest.param("App.3 p.9.4 (sub-paragraph 4)", 3418, "4) тармақша", id="app3_p9_4_documents_to_organisation"),
    pytest.param("App.3 p.13 (whole paragraph)", 3434, "13-тармақ", id="app3_p13_disability_registration"),
    pytest.param("App.3 p.18 (whole paragraph)", 3488, "18-тармақ", id="app3_p18_head_decision_e_sobes_mark"),
    pytest.param("App.3 annex 1 (application form)", 3537, "1-қосымша", id="app3_annex1_application_form"),
    pytest.param("App.4 annex 1 (application form)", 4331, "1-қосымша", id="app4_annex1_application_form_only"),
]  # fmt: skip


def test_order163_flags_every_note_once_in_seed_order() -> None:
    assert [(flag.citation, flag.seed_line) for flag in FLAGGED_PROVISIONS] == [row.values[:2] for row in FLAGS]


@pytest.mark.parametrize(("citation", "seed_line", "kazakh"), FLAGS)
def test_order163_flag_in_force_from_12_july_2026(citation: str, seed_line: int, kazakh: str) -> None:
    flag = next(flag for flag in FLAGGED_PROVISIONS if flag.citation == citation)
    assert flag.effective_from == ORDER_163_IN_FORCE == date(2026, 7, 12)
    assert flag.order == "Order No. 163 of 30.04.2026"
    assert flag.summary


@needs_seed
@pytest.mark.parametrize(("citation", "seed_line", "kazakh"), FLAGS)
def test_order163_flag_matches_the_note_in_the_seed(citation: str, seed_line: int, kazakh: str) -> None:
    flag = next(flag for flag in FLAGGED_PROVISIONS if flag.citation == citation)
    note = seed_lines()[seed_line - 1]
    assert "№ 163" in note and "12.07.2026" in note
    assert note.strip().startswith(kazakh)
    assert appendix_at(seed_line) == flag.appendix


@needs_seed
def test_order163_no_note_in_the_seed_is_missing() -> None:
    notes = [number for number, line in enumerate(seed_lines(), start=1) if "№ 163" in line]
    assert notes == [flag.seed_line for flag in FLAGGED_PROVISIONS]


@pytest.mark.parametrize(
    ("on", "count"),
    [
        pytest.param(None, 23, id="all_flags_without_a_date"),
        pytest.param(date(2026, 7, 11), 0, id="day_before_order163_old_text_still_law"),
        pytest.param(date(2026, 7, 12), 23, id="order163_in_force_12_july_2026"),
        pytest.param(date(2027, 1, 1), 23, id="after_order163"),
    ],
)
def test_order163_flagged_provisions_on_a_date(on: date | None, count: int) -> None:
    assert len(flagged_provisions(on)) == count


@pytest.mark.parametrize(
    ("appendix", "paragraph", "flagged"),
    [
        pytest.param(1, "6", True, id="app1_p6_whole_paragraph"),
        pytest.param(1, "7", True, id="app1_p7_part2_touches_the_paragraph"),
        pytest.param(1, "8", True, id="app1_p8_subparagraph3_touches_the_paragraph"),
        pytest.param(1, "8.3", True, id="app1_p8_3_itself"),
        pytest.param(1, "8.1", False, id="app1_p8_1_decision_not_reworded"),
        pytest.param(1, "5", True, id="app1_p5_parts_2_3"),
        pytest.param(1, "5.1", False, id="app1_p5_1_application_in_part1_not_reworded"),
        pytest.param(1, "20", True, id="app1_p20"),
        pytest.param(1, "20.1", True, id="app1_p20_whole_paragraph_covers_its_items"),
        pytest.param(1, "23", True, id="app1_p23"),
        pytest.param(1, "13", False, id="app1_p13_discharge_grounds_untouched"),
        pytest.param(1, "22", False, id="app1_p22_readmission_bar_untouched"),
        pytest.param(1, "annex 1", True, id="app1_annex1"),
        pytest.param(2, "annex 1", False, id="app2_annex1_has_no_note"),
        pytest.param(2, "16", True, id="app2_p16"),
        pytest.param(2, "13", False, id="app2_p13_untouched"),
        pytest.param(3, "8", True, id="app3_p8_part5"),
        pytest.param(3, "9.4", True, id="app3_p9_4"),
        pytest.param(3, "9.3", False, id="app3_p9_3_pmpc_copy_untouched"),
        pytest.param(3, "18", True, id="app3_p18"),
        pytest.param(3, "7", False, id="app3_has_no_p7"),
        pytest.param(4, "4-1", False, id="app4_p4_1_identification_untouched"),
        pytest.param(4, "18", False, id="app4_p18_untouched"),
        pytest.param(4, "Annex 1", True, id="app4_annex1_case_insensitive"),
    ],
)
def test_order163_is_flagged(appendix: int, paragraph: str, flagged: bool) -> None:
    assert is_flagged(ref(appendix, paragraph)) is flagged


def test_order163_flags_for_app1_p5_names_both_parts() -> None:
    assert [flag.part for flag in flags_for(ref(1, "5"))] == ["part 2, first paragraph", "part 3"]


def test_order163_flag_legal_ref_of_paragraph_and_annex() -> None:
    by_citation = {flag.citation: flag for flag in FLAGGED_PROVISIONS}
    assert str(by_citation["App.1 p.8.3 (sub-paragraph 3)"].legal_ref) == "App.1 p.8.3"
    assert by_citation["App.4 annex 1 (application form)"].legal_ref is None


def test_cli_rules_flagged_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "flagged", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 23
    assert rows[0]["citation"] == "App.1 p.5 (part 2, first paragraph)"
    assert {row["effective_from"] for row in rows} == {"2026-07-12"}


def test_cli_rules_flagged_text_and_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "flagged"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 23
    assert lines[-1].startswith("App.4 annex 1 (application form)")
    assert main(["rules", "flagged", "--on", "2026-07-11", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_cli_rules_flagged_bad_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "flagged", "--on", "12.07.2026"]) == 2
    err = capsys.readouterr().err
    assert err == "qamqor: error: --on: '12.07.2026' is not a date in the form YYYY-MM-DD\n"
