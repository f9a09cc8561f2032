"""Passkeys: list, add (signed in), remove, and sign in with one (no account named first).

Adding and signing in each take two requests: the options (with a challenge the server keeps)
for the browser's ``navigator.credentials`` call, then the browser's answer to check.
"""

from django.contrib.auth import login
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from tracker.api import throttles
from tracker.api.auth import MODEL_BACKEND
from tracker.api.schemas.auth import UserOut
from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.passkeys import (
    LoginOptionsOut,
    PasskeyLoginIn,
    PasskeyOut,
    PasskeyRegisterIn,
    RegistrationOptionsOut,
)
from tracker.api.security import AUTH, AuthedRequest, require_csrf
from tracker.models import Passkey, User
from tracker.selectors import passkeys as selectors
from tracker.services import passkeys

router = Router(tags=["passkeys"])


@router.get("", response=list[PasskeyOut], auth=AUTH, summary="List your passkeys")
def passkey_list(request: AuthedRequest) -> object:
    return selectors.passkey_list(user=request.auth)


@router.post(
    "/register/options",
    response=RegistrationOptionsOut,
    auth=AUTH,
    summary="Start adding a passkey",
)
def register_options(request: AuthedRequest) -> object:
    """The options for ``navigator.credentials.create()``; the challenge in them is good for
    one answer within five minutes."""
    return passkeys.passkey_registration_options(user=request.auth, now=timezone.now())


@router.post(
    "/register",
    response={201: PasskeyOut, 409: ErrorOut, 422: ErrorOut},
    auth=AUTH,
    summary="Add a passkey",
)
def register(request: AuthedRequest, payload: PasskeyRegisterIn) -> Status[Passkey]:
    """The browser's answer to the options: checked (challenge, origin, relying party, user
    verification) and stored; 422 with the reason when it does not check out."""
    passkey = passkeys.passkey_register(
        user=request.auth,
        name=payload.name,
        credential=payload.credential.model_dump(),
        now=timezone.now(),
    )
    return Status(201, passkey)


@router.post(
    "/login/options",
    response={200: LoginOptionsOut, 429: ErrorOut},
    auth=None,
    throttle=[throttles.LOGIN],
    summary="Start signing in with a passkey",
)
def login_options(request: HttpRequest) -> object:
    """The options for ``navigator.credentials.get()``; no account is named."""
    require_csrf(request)
    return passkeys.passkey_login_options(now=timezone.now())


@router.post(
    "/login",
    response={200: UserOut, 401: ErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[throttles.LOGIN],
    summary="Sign in with a passkey",
)
def sign_in(request: HttpRequest, payload: PasskeyLoginIn) -> Status[User]:
    """The browser's answer: a signature by a passkey of this site over a live challenge, with
    the person verified on the phone and the passkey's counter moved on; 401 otherwise."""
    require_csrf(request)
    user = passkeys.passkey_authenticate(
        credential=payload.credential.model_dump(exclude_none=True), now=timezone.now()
    )
    login(request, user, backend=MODEL_BACKEND)
    return Status(200, user)


# Last: its path would otherwise take /login and /register for an id.
@router.delete(
    "/{passkey_id}", response={204: None, 404: ErrorOut}, auth=AUTH, summary="Remove a passkey"
)
def passkey_delete(request: AuthedRequest, passkey_id: int) -> Status[None]:
    passkeys.passkey_delete(user=request.auth, passkey_id=passkey_id)
    return Status(204, None)
