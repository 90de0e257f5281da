"""Every page of needs, appraisals and improvements renders on the demo data."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
