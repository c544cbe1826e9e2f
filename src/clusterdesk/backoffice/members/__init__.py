"""The member CRM in the back office, one module per thing shown: the organisation
directory and its files (`organisations`), memberships and the renewal campaign
(`memberships`), contacts and interactions (`contacts`), imports (`imports`), duplicates
and merges (`duplicates`), the fee grid (`categories`); the page about one organisation in
`common`.
"""
