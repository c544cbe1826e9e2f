from __future__ import annotations

from typing import Any

import rules

from clusterdesk.core.rules import is_director


@rules.predicate
def is_job_owner(user: Any, job: Any) -> bool:
    return job is not None and job.user_id is not None and job.user_id == user.pk


@rules.predicate
def is_director_of_job_cluster(user: Any, job: Any) -> bool:
    return job is not None and is_director(user, job.cluster)


can_view_job = is_job_owner | is_director_of_job_cluster
