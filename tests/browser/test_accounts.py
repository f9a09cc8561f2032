"""A forgotten password, from the sign-in page's "Forgot password?" to signing in with the new
one through the emailed link (read from the live server's outbox: Django's in-memory email
backend, in this process); and a change of password on the Account page."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import PASSWORD, SHOTS, axe_violations, sign_in, sign_up
from tracker.services import accounts

NEW_PASSWORD = "stronger-Glutes-2025"


def look(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert axe_violations(page) == [], name


@pytest.mark.django_db(transaction=True)
def test_a_forgotten_password_is_reset_from_the_emailed_link(live_server, live_db, phone, settings):
    base = live_server.url
    settings.SITE_URL = base
    accounts.user_signup(email="maya@example.com", password=PASSWORD, tz_name="Europe/London")
    page = phone.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"{base}/signin")
    page.get_by_role("link", name="Forgot password?").click()
    page.get_by_role("heading", name="Forgot your password?").wait_for()
    page.get_by_label("Email").fill("maya@example.com")
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_text("If that email has an account, a link").wait_for()
    look(page, "password-reset")

    assert [m.to for m in mail.outbox] == [["maya@example.com"]]
    link = re.search(rf"{re.escape(base)}/password-reset/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("heading", name="Choose a new password").wait_for()
    assert page.get_by_text("At least 8 characters").is_visible()  # the rules, before a try
    page.get_by_label("New password").fill("password")
    page.get_by_role("button", name="Save new password").click()
    page.get_by_text("This password is too common.").wait_for()
    look(page, "password-reset-confirm")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    page.get_by_role("heading", name="Your new password is set").wait_for()
    page.get_by_role("link", name="Sign in", exact=True).click()

    sign_in(page, base, "maya@example.com", NEW_PASSWORD)
    page.get_by_role("heading", name="Today").wait_for()

    # the link is spent: opening it again says so and offers a new one
    page.goto(link)
    page.get_by_role("heading", name="This link no longer works").wait_for()
    assert page.get_by_role("button", name="Send me a link").is_visible()
    look(page, "password-reset-spent")
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_the_password_is_changed_on_the_account_page(live_server, live_db, phone):
    base = live_server.url
    sign_up(phone, base)
    page = phone.new_page()
    page.goto(f"{base}/account")
    form = page.locator("#password-form")
    form.get_by_text("At least 8 characters, not too like your email").wait_for()
    form.get_by_label("Current password").fill("not-my-password")
    form.get_by_label("New password").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Change password").click()
    form.get_by_text("does not match").wait_for()
    form.get_by_label("Current password").fill(PASSWORD)
    form.get_by_role("button", name="Change password").click()
    form.get_by_text("Password changed.").wait_for()
    look(page, "account-password")

    page.reload()  # this phone is still signed in
    page.get_by_text("Signed in as maya@example.com.").wait_for()
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(f"{base}/signin")
    sign_in(page, base, "maya@example.com", NEW_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_the_reset_pages_read_well_on_a_small_phone_in_the_dark(live_server, live_db, chromium):
    ctx = chromium.new_context(
        viewport={"width": 360, "height": 740}, color_scheme="dark", bypass_csp=True
    )
    page = ctx.new_page()
    page.goto(f"{live_server.url}/password-reset")
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_text("Enter your email address.").wait_for()  # nothing sent without one
    look(page, "password-reset-dark-360")
    page.goto(f"{live_server.url}/password-reset/MQ/made-up-token")
    page.get_by_role("heading", name="This link no longer works").wait_for()
    look(page, "password-reset-spent-dark-360")
    page.goto(f"{live_server.url}/account/email#made-up-token")
    page.get_by_role("heading", name="Your email was not changed").wait_for()
    assert page.evaluate("location.hash") == ""  # the token is taken out of the address bar
    look(page, "email-confirm-dark-360")
    ctx.close()


@pytest.mark.django_db(transaction=True)
def test_the_email_is_changed_from_the_account_page_once_the_new_address_opens_its_link(
    live_server, live_db, phone, settings
):
    base = live_server.url
    settings.SITE_URL = base
    sign_up(phone, base)
    page = phone.new_page()
    page.goto(f"{base}/account")
    form = page.locator("#email-form")
    form.get_by_label("New email").fill("maya@example.org")
    form.get_by_label("Your password").fill("not-my-password")
    form.get_by_role("button", name="Send the link").click()
    form.locator("#email-password-error", has_text="does not match").wait_for()  # by its field
    form.get_by_label("Your password").fill(PASSWORD)
    form.get_by_role("button", name="Send the link").click()
    form.get_by_text("We sent a link to maya@example.org.").wait_for()
    page.reload()
    page.get_by_text("Signed in as maya@example.com.").wait_for()  # not before the link

    to_new = next(m for m in mail.outbox if m.to == ["maya@example.org"])
    page.goto(re.search(rf"{re.escape(base)}/account/email#\S+", to_new.body).group(0))
    page.get_by_role("heading", name="Your email is changed").wait_for()
    assert page.get_by_text("You now sign in with maya@example.org.").is_visible()
    page.get_by_role("link", name="Go to your account").click()
    page.get_by_text("Signed in as maya@example.org.").wait_for()
