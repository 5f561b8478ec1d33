"""This test ensures that the sample leaflet builds and reads back with its title first."""

from tests.conftest import SAMPLE, build


def test_sample_builds_with_title_first() -> None:
    rendered, facts = build(SAMPLE)
    assert rendered.pages == len(facts.pages) >= 1
    assert facts.find("Baclofen")[0] > 0
