"""Writes about a cluster itself (its facts, its taxonomy), audited.

They cannot live in ``core``, the bottom layer, because every write records an audit entry
and ``audit`` sits above ``core``; they are not a person's or a member's business either,
hence a package of their own, named after what they change.
"""
