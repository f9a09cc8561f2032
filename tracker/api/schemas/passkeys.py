"""Passkeys: the options handed to the browser and the browser's answers, in the JSON forms of
W3C Web Authentication (``PublicKeyCredential.toJSON()`` and the options' JSON), whose field
names are camelCase; binary values are base64url without padding."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from tracker.api.schemas.common import In, Name, Out


def _base64url(max_length: int) -> Any:
    return Field(min_length=1, max_length=max_length, pattern=r"^[A-Za-z0-9_-]+$")


CredentialId = Annotated[str, _base64url(1400)]  # credential ids are at most 1,023 bytes
ClientDataJSON = Annotated[str, _base64url(8192)]
PublicKeyType = Literal["public-key"]


class AttestationResponseIn(In):
    clientDataJSON: ClientDataJSON
    attestationObject: Annotated[str, _base64url(65536)]


class RegistrationCredentialIn(In):
    """``navigator.credentials.create()``'s answer, as ``toJSON()`` gives it (other fields it
    carries are ignored)."""

    id: CredentialId
    rawId: CredentialId
    type: PublicKeyType
    response: AttestationResponseIn


class PasskeyRegisterIn(In):
    name: Name | None = Field(
        None, description="To tell your passkeys apart, e.g. 'My phone'; 'Passkey' if left out."
    )
    credential: RegistrationCredentialIn


class AssertionResponseIn(In):
    clientDataJSON: ClientDataJSON
    authenticatorData: Annotated[str, _base64url(8192)]
    signature: Annotated[str, _base64url(2048)]
    userHandle: Annotated[str, _base64url(128)] | None = None


class AuthenticationCredentialIn(In):
    """``navigator.credentials.get()``'s answer, as ``toJSON()`` gives it."""

    id: CredentialId
    rawId: CredentialId
    type: PublicKeyType
    response: AssertionResponseIn


class PasskeyLoginIn(In):
    credential: AuthenticationCredentialIn


class PasskeyOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class CredentialDescriptorOut(Out):
    id: str
    type: PublicKeyType


class RelyingPartyOut(Out):
    id: str
    name: str


class UserEntityOut(Out):
    id: str = Field(description="A random id for this account, the same for all its passkeys.")
    name: str
    displayName: str


class CredentialParametersOut(Out):
    type: PublicKeyType
    alg: int = Field(description="A COSE algorithm: -8 EdDSA, -7 ES256, -257 RS256.")


class AuthenticatorSelectionOut(Out):
    residentKey: Literal["required"]
    requireResidentKey: bool
    userVerification: Literal["required"]


class RegistrationOptionsOut(Out):
    """For ``navigator.credentials.create({publicKey: ...})`` (after base64url-decoding
    ``challenge``, ``user.id`` and each ``excludeCredentials[].id``)."""

    rp: RelyingPartyOut
    user: UserEntityOut
    challenge: str
    pubKeyCredParams: list[CredentialParametersOut]
    timeout: int = Field(description="Milliseconds.")
    excludeCredentials: list[CredentialDescriptorOut]
    authenticatorSelection: AuthenticatorSelectionOut
    attestation: Literal["none"]


class LoginOptionsOut(Out):
    """For ``navigator.credentials.get({publicKey: ...})`` (after base64url-decoding
    ``challenge``); no account is named: the phone offers the passkeys it holds for the site."""

    challenge: str
    timeout: int = Field(description="Milliseconds.")
    rpId: str
    allowCredentials: list[CredentialDescriptorOut]
    userVerification: Literal["required"]
