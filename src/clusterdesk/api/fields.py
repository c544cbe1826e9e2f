"""The base of every API input schema: text and dates checked once for all of them.

A control character (NUL answered 500 on PostgreSQL), text over the length limit or a
date outside the sane range is a 422 naming the field (``core.inputs``).
``tests/api/test_inputs.py`` fails for an operation whose query or body schema does not
derive from ``InputSchema``.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import field_validator

from clusterdesk.core.inputs import input_problem


class InputSchema(Schema):
    @field_validator("*", mode="after")
    @classmethod
    def _sane_input(cls, value: Any) -> Any:
        problem = input_problem(value)
        if problem:
            raise ValueError(problem)
        return value
