"""The user's settings: time zone, weekly target, units."""

from ninja import Router

from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.profile import ProfileOut, ProfilePatch
from tracker.api.security import AuthedRequest
from tracker.selectors import accounts as selectors
from tracker.services import accounts as services

router = Router(tags=["profile"])


@router.get("", response=ProfileOut)
def profile_get(request: AuthedRequest) -> object:
    return selectors.profile_get(user=request.auth)


@router.patch("", response={200: ProfileOut, 422: ErrorOut})
def profile_patch(request: AuthedRequest, payload: ProfilePatch) -> object:
    return services.profile_update(
        user=request.auth, changes=payload.model_dump(exclude_unset=True)
    )
