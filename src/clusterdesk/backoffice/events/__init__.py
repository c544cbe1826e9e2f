"""The staff's pages about events: the list, an event and its categories, registrations,
check-in on the day, exports and badges, registrants' organisations to confirm."""
