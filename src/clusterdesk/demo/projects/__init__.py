"""The labelling demo: calls, applications and their consortia, experts and reviews,
committee sessions, labels and funding, for every cluster of the demo.

The health cluster gets the source document's figures: from 2005 to 2015 it labelled 183
projects that were then funded, with 870 M€ of investment (the sum of their partners'
budgets) and 347 M€ of public aid (the sum of the amounts granted to them). Amounts are
drawn at random, then scaled, and the last ones adjusted so that both sums are exact to
the euro. After 2015 it goes on labelling about twenty projects a year; this year's call
has files in every state of the workflow, reviewed by its experts
(``expert@lyonbiopole.test`` among them) for a coming committee session.

The region's other clusters together label about 350 projects a year lately; with the
health cluster, the region's projects take 20 to 25 % of each national FUI round, whose sizes
are data (``data/fui_rounds.csv``). ``--scale national`` gives the rest of France's
clusters the rest of each round and brings the projects to about 20,000.

Rows are written with ``bulk_create`` (one service call per row would take minutes); each
cluster gets one ``demo.generated`` audit entry counting what was made for it. Experts and
reviews are generated for the health cluster only, the one the demo describes in full.

One module per thing generated: ``figures`` (the figures and helpers), ``rounds`` (the FUI
rounds), ``pools`` (the organisations consortia are drawn from), ``maker`` (calls,
applications, consortia, sessions), ``funding``, ``health`` and ``others`` (each cluster's
projects), ``reviews`` (experts, reviews, committee) and ``step`` (writing and ``build``).
"""
