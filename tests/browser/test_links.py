"""Sign-in goes on to `next` only when the browser itself resolves it to this site: the URL
standard reads a backslash as a slash and drops tabs and newlines, so a `next` that merely
starts with one "/" can still lead to another site."""

from urllib.parse import quote, urlsplit

import pytest

from tests.browser.conftest import PASSWORD, sign_up

ELSEWHERE = [
    "/%5Cevil.example/x",  # /\evil.example/x
    "/%09/evil.example/x",  # a tab
    "/%0A/evil.example/x",  # a newline
    "/%0D/evil.example/x",  # a carriage return
    "/%5C%5Cevil.example/x",
    "//evil.example/x",
    "https://evil.example/x",
    "javascript:alert(document.domain)",
    "%2F%2Fevil.example/x",  # encoded once more: //evil.example/x
]


@pytest.fixture
def page_with_trap(context):
    """A page in which any request to evil.example is answered at once (and recorded), so a
    wrong turn shows as the page's URL instead of a network error."""
    visited = []

    def trap(route):
        visited.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>evil</h1>")

    context.route(lambda url: urlsplit(url).hostname == "evil.example", trap)
    return context.new_page(), visited


def sign_in_with_next(page, base, next_value):
    page.goto(f"{base}/signin?next={next_value}")
    page.get_by_label("Email").fill("maya@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/signin")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("next_value", ELSEWHERE)
def test_sign_in_never_goes_on_to_another_site(
    live_server, live_db, context, page_with_trap, next_value
):
    base = live_server.url
    sign_up(context, base)
    page, visited = page_with_trap
    sign_in_with_next(page, base, next_value)
    assert visited == []
    assert page.url == f"{base}/"  # Today, as with no `next`


@pytest.mark.django_db(transaction=True)
def test_sign_in_goes_on_to_the_page_it_was_sent_from(
    live_server, live_db, context, page_with_trap
):
    base = live_server.url
    sign_up(context, base)
    page, visited = page_with_trap
    sign_in_with_next(page, base, quote("/history?offset=0#sessions", safe=""))
    assert page.url == f"{base}/history?offset=0#sessions" and visited == []
