"""Why services end or pause, per form, and when a person may come back (rules-digest §6).

Sources: App.1 p.13 (discharge), p.21-22 (expulsion, readmission), p.7 (decision suspended); App.2 p.13-15
(termination, restoration, suspension); App.3 p.15-17 (the same for home care); App.4 p.13 (discharge), p.15,
p.16, p.18 (expulsion, new contract after a year). Each ground is a data row with a stable code; the lifecycle
actions `discharge`, `terminate`, `expel` and `suspend` take a ground of the matching kind (`grounds_for_action`),
and `reopen` only follows an expulsion on a ground with `good_reason_readmits_immediately`.

Readmission bars ("only after one calendar year") follow the Civil Code's general rule on terms: a term starts
the day after the event and a term in years ends on the same month and day of its last year (on the last day of
the month when that day does not exist). So a person expelled on 10 March 2025 is barred through 10 March 2026
and may be admitted from 11 March 2026; expelled on 29 February 2024: barred through 28 February 2025, admitted
from 1 March 2025. The standards' two wordings ("бір жыл өткен соң", App.1 p.22; "бір жыл асқаннан кейін",
App.2 p.14, App.3 p.16) both mean the year must be over, so both give this date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from core.rules.amendments import flags_for, is_flagged
from core.rules.codes import Form
from core.rules.dates import add_months
from core.rules.legal import LegalRef, ref
from core.rules.lifecycle import Action


class GroundKind(StrEnum):
    DISCHARGE = "discharge"  # шығару: App.1 p.13, App.4 p.13
    TERMINATION = "termination"  # тоқтату: App.2 p.13, App.3 p.15
    EXPULSION = "expulsion"  # шығарып жіберу: App.1 p.21, App.4 p.18
    SUSPENSION = "suspension"  # тоқтата тұру: App.1 p.7 (the decision), App.2 p.15, App.3 p.17, App.4 p.16


class GroundCode(StrEnum):
    """Stable ground codes (database, CLI). One code may exist for several forms with its own paragraph."""

    OWN_APPLICATION = "own_application"
    DISABILITY_REMOVED = "disability_removed"
    CAME_OF_AGE = "came_of_age"
    PAID_CONTRACT_BREACH = "paid_contract_breach"
    DEATH = "death"
    RULES_BROKEN_OVER_3_TIMES = "rules_broken_over_3_times"
    LIMITED_CAPACITY_ALCOHOL_DRUGS = "limited_capacity_alcohol_drugs"
    ABSENT_OVER_2_DAYS = "absent_over_2_days"
    REHABILITATION_PLAN_COMPLETED = "rehabilitation_plan_completed"
    RECEIVES_OTHER_FORM = "receives_other_form"
    MOVED_LOCALITY = "moved_locality"
    INSULTS_TO_SOCIAL_WORKER = "insults_to_social_worker"
    EDUCATION_ORGANISATION_SERVICES = "education_organisation_services"
    HAS_HOUSING_AND_MEANS = "has_housing_and_means"
    CONTRACT_BREACH = "contract_breach"
    CONTRACT_EXPIRED = "contract_expired"
    CONTRACT_FULFILLED_EARLY = "contract_fulfilled_early"
    MOVED_TO_STATIONARY = "moved_to_stationary"
    MEDICAL_CONTRAINDICATION = "medical_contraindication"
    ABSENT_OVER_3_DAYS = "absent_over_3_days"
    FALSE_INFORMATION = "false_information"
    CONTRACT_NOT_FULFILLED = "contract_not_fulfilled"
    IN_HEALTH_ORGANISATION = "in_health_organisation"


class UnknownGround(LookupError):
    """No such ground for the form; the message lists the form's grounds."""


class ReadmissionNotApplicable(ValueError):
    """Readmission makes no sense for this ground (death, or a suspension, which `restore` lifts)."""


@dataclass(frozen=True, slots=True)
class ReadmissionBar:
    calendar_years: int
    legal_ref: LegalRef


@dataclass(frozen=True, slots=True)
class Ground:
    form: Form
    code: GroundCode
    kind: GroundKind
    summary: str  # what the paragraph says, in English, with its conditions
    legal_ref: LegalRef
    readmission_bar: ReadmissionBar | None = None
    good_reason_readmits_immediately: bool = False  # absence that a good reason kept the person from reporting
    evidence: str = ""  # proof the paragraph requires before the ground may be used
    readmission_condition: str = ""  # what must hold besides the bar (checked by staff)

    @property
    def effective_from(self) -> date:
        return self.legal_ref.effective_from

    @property
    def flagged(self) -> bool:
        return is_flagged(self.legal_ref)

    def as_dict(self) -> dict[str, object]:
        bar = self.readmission_bar
        return {
            "form": self.form.value,
            "code": self.code.value,
            "kind": self.kind.value,
            "summary": self.summary,
            "legal_ref": str(self.legal_ref),
            "effective_from": self.effective_from.isoformat(),
            "readmission_bar": None if bar is None else str(bar.legal_ref),
            "readmission_bar_years": None if bar is None else bar.calendar_years,
            "good_reason_readmits_immediately": self.good_reason_readmits_immediately,
            "evidence": self.evidence,
            "readmission_condition": self.readmission_condition,
            "flagged": self.flagged,
            "flags": [flag.citation for flag in flags_for(self.legal_ref)],
        }


class ReadmissionCheck(NamedTuple):
    """Unpacks as `allowed, allowed_from, legal_ref`."""

    allowed: bool
    allowed_from: date | None  # the first day admission is allowed again; None: no bar
    legal_ref: LegalRef


_ST, _SEMI, _HOME, _TEMP = Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME, Form.TEMPORARY_STAY
_G, _K = GroundCode, GroundKind
_YEAR_APP1 = ReadmissionBar(1, ref(1, "22"))
_YEAR_APP2 = ReadmissionBar(1, ref(2, "14"))
_YEAR_APP3 = ReadmissionBar(1, ref(3, "16"))
_YEAR_APP4 = ReadmissionBar(1, ref(4, "18"))
_WITNESSES = "written statements of witnesses"
_OTHER_FORM = "receives special social services in {} conditions"

# fmt: off
GROUNDS: tuple[Ground, ...] = (
    # --- App.1 stationary: discharge p.13, expulsion p.21 (elderly and disabled residents), bar p.22 ---
    Ground(_ST, _G.OWN_APPLICATION, _K.DISCHARGE, "written application; for minors and legally incapable "
           "persons, the legal representative's", ref(1, "13.1")),
    Ground(_ST, _G.DISABILITY_REMOVED, _K.DISCHARGE, "disability removed or group 3 set (adults), a medical "
           "organisation finds health improved enough to work without help, and the person has housing and "
           "means to live", ref(1, "13.2")),
    Ground(_ST, _G.CAME_OF_AGE, _K.DISCHARGE, "a child reaches 18 (orphans and children without parental care "
           "excepted: they move to an adult organisation out of turn, p.7, p.19)", ref(1, "13.3")),
    Ground(_ST, _G.PAID_CONTRACT_BREACH, _K.DISCHARGE, "the paid special social services contract is broken",
           ref(1, "13.4")),
    Ground(_ST, _G.DEATH, _K.DISCHARGE, "death of the recipient", ref(1, "13.5")),
    Ground(_ST, _G.RULES_BROKEN_OVER_3_TIMES, _K.EXPULSION, "internal rules broken regularly (more than 3 "
           "times): psychoactive substances, damage to property, unlawful acts", ref(1, "21.1"), _YEAR_APP1),
    # Law silent on how p.21.2 part 2 (readmitted on the general basis once a court lifts the limitation) meets
    # p.22 (not before one calendar year): both hold, the year AND the court decision.
    Ground(_ST, _G.LIMITED_CAPACITY_ALCOHOL_DRUGS, _K.EXPULSION, "a court limits legal capacity because of "
           "alcohol or drug use", ref(1, "21.2"), _YEAR_APP1,
           readmission_condition="a court decision lifting the limitation (p.21.2 part 2)"),
    Ground(_ST, _G.ABSENT_OVER_2_DAYS, _K.EXPULSION, "left the organisation without permission and absent more "
           "than two days; readmission on the general basis (chapter 2), immediately if a good reason "
           "prevented notice", ref(1, "21.3"), good_reason_readmits_immediately=True),
    Ground(_ST, _G.MEDICAL_CONTRAINDICATION, _K.SUSPENSION, "more than one month in the queue and the new "
           "medical card shows a contraindication: the decision is suspended until a card without one is "
           "brought", ref(1, "7")),
    # --- App.2 semi-stationary: termination p.13, restoration p.14, suspension p.15 ---
    Ground(_SEMI, _G.OWN_APPLICATION, _K.TERMINATION, "written application; for minors and legally incapable "
           "persons, the legal representative's", ref(2, "13.1")),
    Ground(_SEMI, _G.REHABILITATION_PLAN_COMPLETED, _K.TERMINATION, "the rehabilitation measures of the "
           "individual plan are over and there is no indication for more", ref(2, "13.2")),
    Ground(_SEMI, _G.DISABILITY_REMOVED, _K.TERMINATION, "disability removed or group 3 set", ref(2, "13.3")),
    Ground(_SEMI, _G.RECEIVES_OTHER_FORM, _K.TERMINATION, _OTHER_FORM.format("stationary or home"),
           ref(2, "13.4")),
    Ground(_SEMI, _G.RULES_BROKEN_OVER_3_TIMES, _K.TERMINATION, "internal rules broken systematically (more "
           "than 3 times)", ref(2, "13.5"), _YEAR_APP2),
    Ground(_SEMI, _G.PAID_CONTRACT_BREACH, _K.TERMINATION, "the paid special social services contract is "
           "broken", ref(2, "13.6")),
    Ground(_SEMI, _G.DEATH, _K.TERMINATION, "death of the recipient", ref(2, "13.7")),
    Ground(_SEMI, _G.MEDICAL_CONTRAINDICATION, _K.SUSPENSION, "a medical contraindication to attending appears; "
           "restored on a medical document showing it has gone", ref(2, "15")),
    # --- App.3 home care: termination p.15, restoration p.16, suspension p.17 ---
    Ground(_HOME, _G.OWN_APPLICATION, _K.TERMINATION, "written application; for minors and legally incapable "
           "persons, the legal representative's", ref(3, "15.1")),
    Ground(_HOME, _G.DISABILITY_REMOVED, _K.TERMINATION, "disability removed or group 3 set", ref(3, "15.2")),
    Ground(_HOME, _G.RECEIVES_OTHER_FORM, _K.TERMINATION, _OTHER_FORM.format("stationary or semi-stationary"),
           ref(3, "15.3")),
    Ground(_HOME, _G.MOVED_LOCALITY, _K.TERMINATION, "the recipient moves to another locality", ref(3, "15.4")),
    Ground(_HOME, _G.INSULTS_TO_SOCIAL_WORKER, _K.TERMINATION, "unfounded insults or accusations against the "
           "social worker by the recipient or family", ref(3, "15.5"), _YEAR_APP3, evidence=_WITNESSES),
    Ground(_HOME, _G.PAID_CONTRACT_BREACH, _K.TERMINATION, "the paid special social services contract is "
           "broken", ref(3, "15.6")),
    Ground(_HOME, _G.DEATH, _K.TERMINATION, "death of the recipient", ref(3, "15.7")),
    Ground(_HOME, _G.EDUCATION_ORGANISATION_SERVICES, _K.TERMINATION, "receives special social services in an "
           "education organisation", ref(3, "15.8")),
    Ground(_HOME, _G.MEDICAL_CONTRAINDICATION, _K.SUSPENSION, "a medical contraindication appears; restored on "
           "a medical document showing it has gone", ref(3, "17")),
    # --- App.4 temporary stay: discharge p.13, expulsion p.18 ---
    Ground(_TEMP, _G.OWN_APPLICATION, _K.DISCHARGE, "written application", ref(4, "13.1")),
    Ground(_TEMP, _G.HAS_HOUSING_AND_MEANS, _K.DISCHARGE, "the recipient has housing and means to live",
           ref(4, "13.2")),
    Ground(_TEMP, _G.CONTRACT_BREACH, _K.DISCHARGE, "the contract is dissolved (e.g. by the centre for "
           "unfulfilled obligations, model contract §2, §6)", ref(4, "13.3")),
    Ground(_TEMP, _G.CONTRACT_EXPIRED, _K.DISCHARGE, "the contract term is over (deadlines: contract terms, "
           "p.9, p.12)", ref(4, "13.3")),
    Ground(_TEMP, _G.CONTRACT_FULFILLED_EARLY, _K.DISCHARGE, "the contract's terms are fulfilled early",
           ref(4, "13.4")),
    Ground(_TEMP, _G.DEATH, _K.DISCHARGE, "death of the recipient", ref(4, "13.5")),
    # Law silent: p.13 does not list the move of p.15, but the stay ends when the person is admitted to a
    # stationary organisation; a careful organisation records it as a discharge on that ground.
    Ground(_TEMP, _G.MOVED_TO_STATIONARY, _K.DISCHARGE, "old age or group 1-2 disability makes self-care or "
           "moving hard: admitted to a stationary organisation", ref(4, "15")),
    Ground(_TEMP, _G.RULES_BROKEN_OVER_3_TIMES, _K.EXPULSION, "internal rules broken regularly (more than 3 "
           "times): psychoactive substances, damage to property, unlawful acts", ref(4, "18.1"), _YEAR_APP4,
           evidence=_WITNESSES),
    Ground(_TEMP, _G.MEDICAL_CONTRAINDICATION, _K.EXPULSION, "a medical contraindication to the stay is found "
           "(the person is sent to a health organisation, p.16)", ref(4, "18.2")),
    # Law silent (contradictory): p.18.3 part 2 says readmission on the general basis, the last part of p.18
    # bars grounds 1), 3), 4), 5) for a calendar year. The specific bar is kept; a good reason (police
    # detention, a stay in a health organisation) readmits immediately, as p.18.3 says.
    Ground(_TEMP, _G.ABSENT_OVER_3_DAYS, _K.EXPULSION, "left without telling the administration and absent "
           "more than three days; immediately readmitted if detained by the police or in a health "
           "organisation", ref(4, "18.3"), _YEAR_APP4, good_reason_readmits_immediately=True,
           evidence=_WITNESSES),
    Ground(_TEMP, _G.FALSE_INFORMATION, _K.EXPULSION, "deliberately false information about oneself",
           ref(4, "18.4"), _YEAR_APP4),
    Ground(_TEMP, _G.CONTRACT_NOT_FULFILLED, _K.EXPULSION, "the recipient does not fulfil the contract's terms",
           ref(4, "18.5"), _YEAR_APP4),
    Ground(_TEMP, _G.IN_HEALTH_ORGANISATION, _K.SUSPENSION, "services stop while the recipient is in a health "
           "organisation (model contract 2-қосымша §7; p.16 sends them there)", ref(4, "16")),
)
# fmt: on

# Restoration after termination follows chapter 2 (a new application): App.2 p.14, App.3 p.16.
_GENERAL_READMISSION = {_SEMI: ref(2, "14"), _HOME: ref(3, "16")}


# The lifecycle action that takes a ground of each kind (the `ground_code` requirement of its row).
ACTION_GROUND_KIND: dict[Action, GroundKind] = {
    Action.DISCHARGE: GroundKind.DISCHARGE,
    Action.TERMINATE: GroundKind.TERMINATION,
    Action.EXPEL: GroundKind.EXPULSION,
    Action.SUSPEND: GroundKind.SUSPENSION,
}


def grounds_for_action(form: Form, action: Action | str) -> tuple[Ground, ...]:
    """The grounds staff may choose for `action` (discharge, terminate, expel, suspend); () for other actions."""
    kind = ACTION_GROUND_KIND.get(Action(action)) if action in set(Action) else None
    return () if kind is None else grounds_for(form, kind)


def grounds_for(form: Form, kind: GroundKind | None = None) -> tuple[Ground, ...]:
    """The grounds of `form` (of one `kind` if given), in the order of the paragraphs."""
    return tuple(g for g in GROUNDS if g.form == form and (kind is None or g.kind == kind))


def ground(form: Form, code: GroundCode | str) -> Ground:
    """The ground `code` of `form`; UnknownGround lists the valid codes."""
    for row in GROUNDS:
        if row.form == form and row.code == code:
            return row
    valid = ", ".join(row.code for row in grounds_for(form))
    raise UnknownGround(f"no ground '{code}' for {form} (valid: {valid})")


def readmission_allowed_from(form: Form, ground_code: GroundCode | str, ended_on: date) -> date | None:
    """The first day a person whose services ended on `ended_on` on this ground may be admitted; None: no bar."""
    bar = _ending_ground(form, ground_code).readmission_bar
    return None if bar is None else _first_day_after(bar, ended_on)


def _first_day_after(bar: ReadmissionBar, ended_on: date) -> date:
    """The bar's last day is the same date `calendar_years` later (28 Feb for 29 Feb); admission the day after."""
    return add_months(ended_on, 12 * bar.calendar_years) + timedelta(days=1)


def readmission_check(
    form: Form,
    ground_code: GroundCode | str,
    ended_on: date,
    on: date,
    *,
    good_reason_prevented_notice: bool = False,
) -> ReadmissionCheck:
    """May the person be admitted again on `on`? With the date the bar ends and the paragraph that says so.

    `good_reason_prevented_notice` is for absence grounds only (App.1 p.21.3, App.4 p.18.3): readmitted at once.
    `Ground.readmission_condition` lists what staff must check besides the date.
    """
    if on < ended_on:
        raise ValueError(f"the check date {on.isoformat()} is before services ended ({ended_on.isoformat()})")
    row = _ending_ground(form, ground_code)
    if good_reason_prevented_notice:
        if not row.good_reason_readmits_immediately:
            raise ValueError(f"{row.legal_ref}: '{row.code}' is not an absence; a good reason changes nothing")
        return ReadmissionCheck(True, None, row.legal_ref)
    bar = row.readmission_bar
    if bar is None:  # a new application on the general basis, at any time
        return ReadmissionCheck(True, None, _GENERAL_READMISSION.get(form, row.legal_ref))
    allowed_from = _first_day_after(bar, ended_on)
    return ReadmissionCheck(on >= allowed_from, allowed_from, bar.legal_ref)


def _ending_ground(form: Form, ground_code: GroundCode | str) -> Ground:
    row = ground(form, ground_code)
    if row.kind is GroundKind.SUSPENSION:
        raise ReadmissionNotApplicable(f"{row.legal_ref}: '{row.code}' suspends services; `restore` lifts it")
    if row.code is GroundCode.DEATH:
        raise ReadmissionNotApplicable(f"{row.legal_ref}: services ended on the recipient's death")
    return row
