"""Writes of the CRM, one module per entity: ``organisations`` (the shared record, its
merge, and the cluster's relationship with it), ``memberships`` (memberships, fees, the fee
grid), ``contacts`` (with GDPR erasure and portal access), ``interactions``.

Every write is keyword-only, takes the acting person, checks its named permission itself
(``core.errors.require``), is atomic and audited. Organisations are shared by the whole
instance; everything else belongs to one cluster and needs its scope.
"""
