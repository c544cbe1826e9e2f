"""The labelling pages of the cluster's project staff, one module per thing shown: the
calls (`calls`), their reviewer assignment (`assignment`), the application file and its
workflow (`applications`), committee sessions with their decisions (`committee`) and the
expert network (`experts`); what they share in `common`.

Every page needs ``projects.manage_calls`` on the cluster. An application the person may
not see (``projects.view_application``) is not found, checked first. What may be written is
the services' to decide (``projects.rules``); the pages offer only the moves
``selectors.applications.application_moves_for`` gives.
"""
