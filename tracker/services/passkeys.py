"""Passkeys: adding one to an account, signing in with one, removing one.

The two ceremonies of W3C Web Authentication (level 2), checked by Duo Labs' py_webauthn:

- adding (registration): the server hands out options with a fresh challenge; the phone makes a
  key pair, keeps the private key and answers with the public key, signed over the challenge;
- signing in (authentication): the server hands out a challenge naming no account (passkeys are
  discoverable: the phone offers the ones it holds for this site); the phone signs it with the
  private key of the passkey the person picks, after checking who they are (Face ID, fingerprint,
  screen lock: user verification is required, both times).

Each challenge is kept on the server (``PasskeyChallenge``, as a digest), expires within minutes
and is deleted by the first answer that names it, whether that answer is good or not. The
relying party is the site of ``SITE_URL``: its host is the relying party id, its scheme, host
and port the one origin a browser's answer may come from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    generate_challenge,
    generate_user_handle,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from tracker.access import delete_owned
from tracker.errors import Conflict, InvalidInput, Unauthorized
from tracker.models import Passkey, PasskeyChallenge, User

RP_NAME = "Hip2Knee"
# A challenge outlives the browser's own timeout a little, so a slow tap still counts.
CHALLENGE_LIFETIME = timedelta(minutes=5)
CEREMONY_TIMEOUT_MS = 4 * 60 * 1000

# Checking an answer (py_webauthn's verify_* functions) is pure computation over bytes a stranger
# sent (base64url, JSON, CBOR, keys, certificates in several formats): whatever it or the parsers
# under it raise (its own WebAuthnException, ValueError, a RecursionError on deep nesting, an
# OpenSSL error on a forged certificate) means the answer cannot be accepted, never that the
# server failed; so every exception from those calls is a refusal, with its text as the reason.

DEFAULT_NAME = "Passkey"


@dataclass(frozen=True)
class Issued:
    """A challenge that was handed out and is now answered."""

    challenge: bytes
    user_handle: str


@dataclass(frozen=True)
class RelyingParty:
    id: str  # the host, e.g. "hip2knee.example"
    origin: str  # e.g. "https://hip2knee.example"


def relying_party() -> RelyingParty:
    """The relying party as ``SITE_URL`` names it (read at each call: a test or a deployment
    may change it)."""
    site = urlsplit(settings.SITE_URL)
    host = (site.hostname or "localhost").lower()
    port = f":{site.port}" if site.port else ""
    return RelyingParty(id=host, origin=f"{site.scheme}://{host}{port}")


def _digest(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def _challenge_in(client_data_json: str) -> bytes | None:
    """The challenge a browser's answer says it signed (from its ``clientDataJSON``), or None
    when the answer is unreadable."""
    try:
        client_data = json.loads(base64url_to_bytes(client_data_json))
    except (ValueError, RecursionError):
        return None
    challenge = client_data.get("challenge") if isinstance(client_data, dict) else None
    if not isinstance(challenge, str):
        return None
    try:
        return base64url_to_bytes(challenge)
    except ValueError:
        return None


def _challenge_issue(
    *, purpose: str, now: datetime, user: User | None = None, user_handle: str = ""
) -> bytes:
    """A new challenge for one ceremony, kept as its digest until it expires or is answered.

    Expired challenges go as new ones come; a user adding a passkey has one challenge at a time,
    and sign-in challenges are bounded by the sign-in throttle."""
    challenge = generate_challenge()
    with transaction.atomic():
        PasskeyChallenge.objects.filter(expires_at__lte=now).delete()
        if user is not None:
            PasskeyChallenge.objects.filter(purpose=purpose, user=user).delete()
        PasskeyChallenge.objects.create(
            digest=_digest(challenge),
            purpose=purpose,
            user=user,
            user_handle=user_handle,
            expires_at=now + CHALLENGE_LIFETIME,
        )
    return challenge


def _challenge_take(
    *, client_data_json: str, purpose: str, now: datetime, user: User | None = None
) -> Issued | None:
    """The live challenge this answer signed, deleted now so that no answer can use it again
    (also when this one turns out wrong); None when there is none: unknown, expired, already
    used, or handed to someone else."""
    challenge = _challenge_in(client_data_json)
    if challenge is None:
        return None
    found = PasskeyChallenge.objects.filter(
        digest=_digest(challenge), purpose=purpose, user=user
    ).first()
    if found is None:
        return None
    # Two answers at the same moment: only the one whose delete removed the row goes on.
    deleted, _ = PasskeyChallenge.objects.filter(pk=found.pk).delete()
    if not deleted or found.expires_at <= now:
        return None
    return Issued(challenge=challenge, user_handle=found.user_handle)


def passkey_registration_options(*, user: User, now: datetime) -> dict[str, Any]:
    """The options for ``navigator.credentials.create()``: a discoverable credential (a passkey
    the phone can offer without being told the account), user verification required, none of
    the user's own passkeys again."""
    rp = relying_party()
    existing = list(Passkey.objects.filter(user=user).values_list("credential_id", "user_handle"))
    # One user id for all of a user's passkeys, so a phone replaces its passkey for this account
    # rather than keeping two; random, so it says nothing about the person.
    handle = existing[0][1] if existing else bytes_to_base64url(generate_user_handle())
    challenge = _challenge_issue(
        purpose=PasskeyChallenge.REGISTER, now=now, user=user, user_handle=handle
    )
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=RP_NAME,
        user_id=base64url_to_bytes(handle),
        user_name=user.email,
        challenge=challenge,
        timeout=CEREMONY_TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(credential_id))
            for credential_id, _ in existing
        ],
    )
    answer: dict[str, Any] = json.loads(options_to_json(options))
    return answer


def passkey_register(
    *, user: User, name: str | None, credential: dict[str, Any], now: datetime
) -> Passkey:
    """Checks the phone's answer against the challenge handed to this user and stores the new
    passkey's public key."""
    rp = relying_party()
    issued = _challenge_take(
        client_data_json=credential["response"]["clientDataJSON"],
        purpose=PasskeyChallenge.REGISTER,
        now=now,
        user=user,
    )
    if issued is None:
        raise InvalidInput(
            "This request to add a passkey has expired or was already used. Try again.",
            {"credential": "the challenge is unknown, expired or used"},
        )
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=issued.challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except Exception as exc:  # refused: see the note on checking answers, above
        raise InvalidInput(
            "The passkey could not be checked, so it was not added. Try again.",
            {"credential": str(exc) or "not a valid passkey answer"},
        ) from None
    try:
        with transaction.atomic():
            return Passkey.objects.create(
                user=user,
                name=(name or "").strip() or DEFAULT_NAME,
                credential_id=bytes_to_base64url(verified.credential_id),
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                user_handle=issued.user_handle,
            )
    except IntegrityError:
        raise Conflict(
            "That passkey is already added.", {"credential": "already registered"}
        ) from None


def passkey_login_options(*, now: datetime) -> dict[str, Any]:
    """The options for ``navigator.credentials.get()``: no account named (the phone offers the
    passkeys it holds for this site), user verification required."""
    challenge = _challenge_issue(purpose=PasskeyChallenge.LOGIN, now=now)
    options = generate_authentication_options(
        rp_id=relying_party().id,
        challenge=challenge,
        timeout=CEREMONY_TIMEOUT_MS,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    answer: dict[str, Any] = json.loads(options_to_json(options))
    return answer


NOT_SIGNED_IN = "That passkey could not sign you in. Try again, or sign in with your password."


def passkey_authenticate(*, credential: dict[str, Any], now: datetime) -> User:
    """The user whose passkey signed a live sign-in challenge, with its signature counter moved
    on; ``Unauthorized`` for anything else."""
    rp = relying_party()
    issued = _challenge_take(
        client_data_json=credential["response"]["clientDataJSON"],
        purpose=PasskeyChallenge.LOGIN,
        now=now,
    )
    if issued is None:
        raise Unauthorized(
            "This sign-in request has expired or was already used. Try again.",
            {"credential": "the challenge is unknown, expired or used"},
        )
    passkey = (
        Passkey.objects.select_related("user")
        .filter(credential_id=credential["id"], user__is_active=True)
        .first()
    )
    if passkey is None:
        raise Unauthorized(
            "This passkey is not known here: it may have been removed. "
            "Sign in with your password instead.",
            {"credential": "no such passkey"},
        )
    handle = credential["response"].get("userHandle")
    if handle is not None and handle != passkey.user_handle:
        raise Unauthorized(NOT_SIGNED_IN, {"credential": "the passkey names another account"})
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=issued.challenge,
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except Exception as exc:  # refused: see the note on checking answers, above
        raise Unauthorized(
            NOT_SIGNED_IN, {"credential": str(exc) or "not a valid passkey answer"}
        ) from None
    # Compare and set: of two sign-ins carrying the same count, only one moves the counter on.
    moved = Passkey.objects.filter(pk=passkey.pk, sign_count=passkey.sign_count).update(
        sign_count=verified.new_sign_count, last_used_at=now
    )
    if not moved:
        raise Unauthorized(NOT_SIGNED_IN, {"credential": "the passkey was used at the same time"})
    return passkey.user


def passkey_delete(*, user: User, passkey_id: int) -> None:
    delete_owned(Passkey.objects, user=user, pk=passkey_id, what="passkey")
