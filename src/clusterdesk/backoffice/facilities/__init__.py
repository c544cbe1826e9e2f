"""The innovation centre's staff pages: resources and their calendars, the approval queue,
the desk (check-in and check-out), authorisations, leases, occupancy and statements."""
