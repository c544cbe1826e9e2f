from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """These tests read the messages' English wording (the UI is French by default)."""
    with translation.override("en"):
        yield
