"""Sign-up, sign-in, sign-out, who am I, and personal API tokens."""

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Router, Status

from tracker.api import throttles
from tracker.api.errors import retry_after_seconds
from tracker.api.schemas.auth import (
    CsrfOut,
    LoginIn,
    MeOut,
    SignupIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserOut,
)
from tracker.api.schemas.common import ErrorOut
from tracker.api.security import AUTH, AuthedRequest, require_csrf
from tracker.errors import Throttled, Unauthorized
from tracker.models import User
from tracker.selectors import accounts as selectors
from tracker.services import accounts, tokens

router = Router(tags=["auth"])
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@router.get("/csrf", response=CsrfOut, auth=None)
def csrf(request: HttpRequest) -> dict[str, str]:
    """Sets the ``csrftoken`` cookie; send its value as ``X-CSRFToken`` with cookie-based writes.

    ``get_token`` marks the cookie for (re)sending; Django's CSRF middleware then sets it.
    """
    return {"csrftoken": get_token(request)}


@router.post(
    "/signup",
    response={201: UserOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[throttles.SIGNUP],
)
def signup(request: HttpRequest, payload: SignupIn) -> Status[User]:
    require_csrf(request)
    user = accounts.user_signup(
        email=payload.email, password=payload.password, tz_name=payload.timezone
    )
    login(request, user, backend=MODEL_BACKEND)
    return Status(201, user)


@router.post(
    "/login",
    response={200: UserOut, 401: ErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[throttles.LOGIN],
)
def sign_in(request: HttpRequest, payload: LoginIn) -> Status[User]:
    require_csrf(request)
    email = payload.email.strip().lower()
    user = authenticate(request, username=email, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise Throttled("Too many failed sign-in attempts. Try again later.", retry_after_seconds())
    if user is None:
        raise Unauthorized(
            "That email and password do not match an account.",
            {"password": "email or password is not right"},
        )
    login(request, user, backend=MODEL_BACKEND)
    return Status(200, user)


@router.post("/logout", response={204: None}, auth=None)
def sign_out(request: HttpRequest) -> Status[None]:
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        require_csrf(request)
    logout(request)
    return Status(204, None)


@router.get("/me", response=MeOut, auth=AUTH)
def me(request: AuthedRequest) -> dict[str, object]:
    user = request.auth
    profile = selectors.profile_get(user=user)
    return {
        "id": user.id,
        "email": user.email,
        "timezone": profile.timezone,
        "weekly_target": profile.weekly_target,
        "units": profile.units,
    }


@router.get("/tokens", response=list[TokenOut], auth=AUTH)
def token_list(request: AuthedRequest) -> object:
    return selectors.token_list(user=request.auth)


@router.post(
    "/tokens",
    response={201: TokenCreatedOut, 429: ErrorOut},
    auth=AUTH,
    throttle=[throttles.TOKENS],
)
def token_create(request: AuthedRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    token, raw = tokens.token_create(user=request.auth, name=payload.name)
    return Status(201, TokenCreatedOut(**TokenOut.model_validate(token).model_dump(), token=raw))


@router.delete("/tokens/{token_id}", response={204: None, 404: ErrorOut}, auth=AUTH)
def token_delete(request: AuthedRequest, token_id: int) -> Status[None]:
    tokens.token_delete(user=request.auth, token_id=token_id)
    return Status(204, None)
