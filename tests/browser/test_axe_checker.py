"""The checker every browser test relies on must report what axe-core finds."""

import pytest

from tests.conftest import (
    AXE_TAGS,
    AXE_TAGS_WITH_BEST_PRACTICE,
    axe_violations,
    describe_violations,
)

BROKEN_PAGE = """<!doctype html><html lang="de"><head><title>Kaputt</title></head>
<body><div><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><h3>Ohne Hauptbereich</h3></div></body></html>"""


@pytest.mark.browser
def test_axe_reports_each_violation_with_its_rule_impact_and_nodes(page):
    page.set_content(BROKEN_PAGE)
    violations = axe_violations(page, AXE_TAGS)
    assert [violation["id"] for violation in violations] == ["image-alt"]
    assert violations[0]["impact"] == "critical"
    assert "img" in describe_violations(violations)


@pytest.mark.browser
def test_best_practices_are_checked_when_asked_for(page):
    page.set_content(BROKEN_PAGE)
    found = {violation["id"] for violation in axe_violations(page, AXE_TAGS_WITH_BEST_PRACTICE)}
    assert {"image-alt", "landmark-one-main", "page-has-heading-one"} <= found


@pytest.mark.browser
def test_a_valid_page_has_no_violation(page):
    page.set_content(
        '<!doctype html><html lang="de"><head><title>Gut</title></head>'
        "<body><main><h1>Alles gut</h1><p>Text.</p></main></body></html>"
    )
    assert axe_violations(page, AXE_TAGS_WITH_BEST_PRACTICE) == []
