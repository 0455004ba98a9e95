"""The demo library answers what a newcomer typed (issue #12): shorthand, citations, ranking, and no case
decided in the future."""

import pytest
from django.utils import timezone

from content import selectors
from content.models import CasePage, SearchSynonym
from demo.content_seed import seed_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return seed_content()


def test_demo_cases_are_past_and_found_the_way_officers_type(demo):
    """One test (seeding the demo library takes a minute)."""
    today = timezone.localdate()
    dates = list(CasePage.objects.exclude(decided_on=None).values_list("decided_on", flat=True))
    assert dates and max(dates) <= today

    assert SearchSynonym.objects.filter(term="违建").exists()
    found = selectors.search_pages("违建", model=CasePage)
    assert found and all("违法建设" in (c.title + c.facts) for c in found)

    cited = selectors.search_pages("处罚法33条", model=CasePage)
    citing_33 = CasePage.objects.live().filter(
        legal_basis__article__number=33, legal_basis__article__law__short_title="行政处罚法"
    )
    assert len(cited) >= 5 and {c.pk for c in citing_33} <= {c.pk for c in cited}

    muck = selectors.search_pages("渣土", model=CasePage)
    first_other = next(i for i, c in enumerate(muck) if "渣土" not in c.title)
    assert all("渣土" in c.title for c in muck[:first_other])
    assert first_other >= 3
    assert all("渣土" not in c.title for c in muck[first_other:])
