"""The passkey journey in Chromium, with the DevTools protocol's virtual authenticator standing
in for a phone's Face ID or fingerprint (a CTAP2 platform authenticator that keeps discoverable
credentials and verifies its user): add one on Account, sign out, sign in with it, remove it;
and a second person cannot sign in, or remove anything, with the first one's credential."""

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.browser.conftest import SHOTS, SMALL_TARGETS, axe_violations, settled, sign_up

PHONE = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def virtual_authenticator(context, page):
    """A phone's built-in authenticator for ``page``; returns the DevTools session and its id."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": PHONE})
    return cdp, authenticator["authenticatorId"]


def csrf_headers(context, base):
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    return {"X-CSRFToken": token, "Referer": base + "/"}


def another_key() -> str:
    """A fresh P-256 private key (PKCS#8, base64), as DevTools takes it."""
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return base64.b64encode(key).decode()


@pytest.mark.django_db(transaction=True)
def test_add_a_passkey_sign_out_sign_in_with_it_and_remove_it(
    live_server, live_db, settings, phone, chromium
):
    base = live_server.url  # http://localhost:<port>: a secure context, as WebAuthn needs
    settings.SITE_URL = base  # the relying party (localhost) and the one origin allowed
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = phone
    sign_up(context, base, "maya@example.com")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())
    cdp, authenticator = virtual_authenticator(context, page)

    # Account: add a passkey
    page.goto(f"{base}/account")
    card = page.get_by_role("region", name="Passkeys")
    card.get_by_text("No passkeys yet.").wait_for()
    card.get_by_label("Name for a new passkey").fill("Maya's phone")
    card.get_by_role("button", name="Add a passkey").click()
    card.get_by_text("Added “Maya's phone”.").wait_for()
    card.get_by_text("not used yet").wait_for()
    settled(page)
    page.screenshot(path=str(SHOTS / "account-passkeys.png"), full_page=True)
    assert axe_violations(page) == []
    assert page.evaluate(SMALL_TARGETS) == []
    held = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(held) == 1 and held[0]["isResidentCredential"] and held[0]["rpId"] == "localhost"

    # sign out, then in with the passkey and no password
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(f"{base}/signin")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/account")
    page.get_by_text("Signed in as maya@example.com.").wait_for()
    page.get_by_role("region", name="Passkeys").get_by_text("last used").wait_for()

    # someone else: signed in to their own account, with a phone that claims Maya's credential
    # (her credential id, user handle and site) but holds a key of its own
    other = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        sign_up(other, base, "ravi@example.com")
        maya_passkey = context.request.get(f"{base}/api/v1/auth/passkeys").json()[0]["id"]
        removal = other.request.delete(
            f"{base}/api/v1/auth/passkeys/{maya_passkey}", headers=csrf_headers(other, base)
        )
        assert removal.status == 404
        other.request.post(f"{base}/api/v1/auth/logout", headers=csrf_headers(other, base))
        other_page = other.new_page()
        other_cdp, other_authenticator = virtual_authenticator(other, other_page)
        forged = {**held[0], "privateKey": another_key(), "signCount": 1000}
        other_cdp.send(
            "WebAuthn.addCredential",
            {"authenticatorId": other_authenticator, "credential": forged},
        )
        other_page.goto(f"{base}/signin")
        other_page.get_by_role("button", name="Sign in with a passkey").click()
        other_page.get_by_text("That passkey could not sign you in.").wait_for()
        assert other_page.url == f"{base}/signin"
        assert other.request.get(f"{base}/api/v1/auth/me").status == 401
    finally:
        other.close()

    # Maya still has her passkey; she removes it, and it signs nobody in any more
    page.goto(f"{base}/account")
    card = page.get_by_role("region", name="Passkeys")
    card.get_by_role("button", name="Remove the passkey Maya's phone", exact=False).click()
    card.get_by_text("It can no longer sign you in").wait_for()
    card.get_by_text("No passkeys yet.").wait_for()
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(f"{base}/signin")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.get_by_text("it may have been removed").wait_for()
    page.screenshot(path=str(SHOTS / "signin-passkey-removed.png"), full_page=True)
    assert page.url == f"{base}/signin"
    assert context.request.get(f"{base}/api/v1/auth/me").status == 401
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_the_passkey_buttons_stay_hidden_where_the_browser_has_no_webauthn(live_server, context):
    base = live_server.url
    context.add_init_script("delete window.PublicKeyCredential;")
    page = context.new_page()
    page.goto(f"{base}/signin")
    page.get_by_role("button", name="Sign in", exact=True).wait_for()
    assert page.get_by_role("button", name="Sign in with a passkey").count() == 0
    sign_up(context, base, "old-phone@example.com")
    page.goto(f"{base}/account")
    page.get_by_text("Signed in as old-phone@example.com.").wait_for()
    assert page.get_by_role("button", name="Add a passkey").count() == 0
