"""The page table (tracker/pages.py) is the pages the app serves: each one answers at its path,
and the front end serves none that the table does not name."""

import pytest
from django.urls import resolve

from frontend import urls, views
from tracker.pages import PAGES, page_path


@pytest.mark.parametrize("name", PAGES)
def test_every_page_in_the_table_is_served_at_its_path(client, db, name):
    response = client.get(PAGES[name].path)
    signing_in = response.status_code == 302 and response.url.startswith(page_path("signin"))
    assert response.status_code == 200 or signing_in, response.status_code
    match = resolve(PAGES[name].path)
    assert (match.namespace, match.url_name) == ("frontend", name)


def test_the_front_end_serves_no_page_missing_from_the_table():
    served = {pattern.name: f"/{pattern.pattern}" for pattern in urls.urlpatterns}
    assert served == {name: page.path for name, page in PAGES.items()}
    assert set(views.PAGES) <= set(PAGES)


def test_the_sign_in_page_offers_a_reset_of_a_forgotten_password(client, db):
    page = client.get(page_path("signin")).content.decode()
    assert f'<a href="{page_path("password_reset")}">Forgot password?</a>' in page
    assert "Forgot your password?" in client.get(page_path("password_reset")).content.decode()


def test_the_password_rules_are_shown_as_the_server_checks_them(client, db, settings):
    rules = "At least 8 characters, not too like your email, not a common password, not all digits."
    assert rules in client.get(page_path("account")).content.decode()
    assert rules in client.get(page_path("signup")).content.decode()
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 12},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    ]
    page = client.get(page_path("account")).content.decode()
    assert "At least 12 characters, not a common password." in page
