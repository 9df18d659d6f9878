"""What an approved sign-on request creates in the registry: the entity (or the update of the one
it names), the focal point's account, and the invitation to set a password."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from compact.registry.models import Entity, Profile
from compact.registry.selectors import entity_resolve
from compact.registry.services import (
    account_invitation_queue,
    entity_create,
    entity_update,
    free_username,
    person_create,
)
from compact.signon.models import SignOnRequest

User = get_user_model()


def _status_label(status: str) -> str:
    return str(SignOnRequest.RequestedStatus(status).label)


def _entity_for_approval(request: SignOnRequest, actor: AbstractBaseUser) -> Entity:
    """The registered entity the request is about, or a new one. An existing entity keeps its
    names (a rename is OCT's decision); its website is filled in if it had none."""
    entity = request.matched_entity or entity_resolve(request.acronym) or entity_resolve(request.organization_name)
    if entity is None:
        return entity_create(
            acronym=request.acronym,
            name=request.organization_name,
            kind=request.organization_kind,
            website=request.website,
            actor=actor,
            note=_("Joined through sign-on request no. %(number)s.") % {"number": request.pk},
        )
    if not entity.website and request.website:
        entity_update(entity=entity, actor=actor, website=request.website)
    if not entity.is_active:
        entity_update(entity=entity, actor=actor, is_active=True)
    return entity


def _focal_user_for(request: SignOnRequest, entity: Entity, actor: AbstractBaseUser) -> tuple[AbstractBaseUser, bool]:
    """The focal point's account: an existing one with their address (if it is not another
    entity's), or a new one without a password. Returns (user, whether to invite them)."""
    for user in User.objects.filter(email__iexact=request.focal_email).order_by("pk"):
        profile = Profile.objects.filter(user=user).first()
        if profile is None or profile.entity_id in (None, entity.pk):
            return user, not user.has_usable_password()
    if User.objects.filter(email__iexact=request.focal_email).exists():
        raise ValidationError(
            _("The focal point's e-mail address belongs to a person of another entity; ask the applicant for another.")
        )
    user = person_create(
        username=free_username(request.focal_email),
        email=request.focal_email,
        first_name=request.focal_given_name,
        last_name=request.focal_family_name,
        entity=entity,
        title=request.focal_title,
        actor=actor,
        language=request.language,
    )
    return user, True


def _invite(request: SignOnRequest, user: AbstractBaseUser, *, occasion: str) -> None:
    account_invitation_queue(user=user, entity=request.entity, occasion=occasion, language=request.language)
