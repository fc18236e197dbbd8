"""The facts of an action as people name them: the columns of the ``actions`` table, the kind of
fact behind each (as the extraction and the evidence nodes name it) and the property that states it.

Corrections (``corrections.csv``, ``socieux-kg correct``), ``socieux-kg diff`` and the network
pages' "correct this" all speak of facts by these names. Imports nothing: reading it loads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ActionField:
    """One correctable fact of an action."""

    name: str  # the actions table's column
    kind: str  # the kind of fact (extraction, evidence IRIs)
    property: str  # the socx: property that states it
    single: bool  # at most one value: corrected with set or remove, not add
    words: str  # how a person names one such fact


FIELDS: dict[str, ActionField] = {
    field.name: field
    for field in (
        ActionField("partner_institution", "partner_institution", "partnerInstitution", False, "partner institution"),
        ActionField("partner_country", "partner_country", "partnerCountry", True, "partner country"),
        ActionField("expert_countries", "expert_country", "expertCountry", False, "expert country"),
        ActionField("study_visit_countries", "study_visit_country", "studyVisitCountry", False, "study-visit country"),
        ActionField("assistance_types", "assistance_type", "assistanceType", False, "type of assistance"),
        ActionField("themes", "theme", "theme", False, "theme"),
        ActionField("organisations", "organisation", "cooperatingOrganisation", False, "cooperating organisation"),
        ActionField("programmes", "programme", "cooperatingProgramme", False, "cooperating programme"),
        ActionField("related_action_codes", "related_action", "relatedActionCode", False, "related action code"),
        ActionField("year", "action_year", "actionYear", True, "year"),
    )
}
BY_KIND = {field.kind: field for field in FIELDS.values()}
BY_PROPERTY = {field.property: field for field in FIELDS.values()}
