"""Writes of the support domain, one module per entity: cases (with their stages, actions
and outcomes), experts (with their agreements and conflicts), missions, funding
programmes. Each is atomic, checks its permission first and is audited; entries about a
case, its actions, outcomes and missions are recorded on the case, so the audit log shows
them only to those who may see the case."""
