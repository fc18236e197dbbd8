"""The rule components, one family a module (the words they read are in ``ontology/reference/``):

- ``vocabulary``: ``roles.toml`` loaded, expert nouns; ``lists``: lists of countries and institutions;
- ``expert_countries``, ``study_visits``, ``partner_country``: the country-role families, run
  together by the ``country_roles`` component (a country span takes one role);
- ``action_codes``, ``organisations``, ``programmes``: one component each;
- ``action_years``: sentences that date the action itself;
- ``spelling``: countries misspelt by a letter or two, read as entities before the rules run.

``COMPONENTS`` lists the registered components in pipeline order.
"""

COMPONENTS = (
    "socx_spelling",
    "socx_country_roles",
    "socx_action_codes",
    "socx_action_years",
    "socx_organisations",
    "socx_programmes",
)


def register() -> None:
    """Import the component modules so that spaCy knows their factories."""
    from graph.extract.rules import (  # noqa: F401
        action_codes,
        action_years,
        country_roles,
        organisations,
        programmes,
        spelling,
    )
