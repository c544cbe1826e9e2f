"""The CRM's demo: member organisations, memberships and fees, contacts, interactions.

The health cluster gets the source document's figures: founded in 2005 by four companies
and two competence centres, 170 members this year of which 154 are SMEs, with joins,
resignations and lapses every year in between. The region's other clusters get members
until the region counts about 3,000 member companies, a tenth of them in two clusters;
``--scale national`` fills the clusters of the rest of France up to about 15,000
organisations.

Rows are written with ``bulk_create``: one service call per row would take minutes at
national scale. The services validate identifiers and write an audit entry per change;
here identifiers are valid by construction (the tests pass them through the same
cleaners) and each cluster gets one ``demo.generated`` entry counting what was made for
it. The one portal account goes through ``contact_grant_portal_access``.

One module per thing generated: ``figures`` (the figures and helpers), ``organisations``,
``places`` (where and in what trade), ``memberships`` (categories, fees, memberships),
``contacts`` (contacts and interactions), ``health`` and ``others`` (each cluster's
members) and ``step`` (writing and ``build``).
"""
