"""Services that change the Compact registry. Each is atomic and writes its audit rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from compact.accounts.oidc import local_passwords_allowed
from compact.core.audit import audit_record, snapshot
from compact.core.categories import EmailCategory
from compact.core.models import Classification, Heartbeat
from compact.core.outbox import email_queue
from compact.core.permissions import is_oct
from compact.core.roles import Role, user_roles_forget, user_roles_stored
from compact.lib.emails import absolute_url
from compact.lib.languages import supported_language, translations_clean
from compact.registry.models import Entity, EntityAlias, Evidence, Membership, Organization, OrganizationAlias, Profile
from compact.registry.permissions import can_manage_entity
from compact.registry.selectors import entity_resolve, organization_resolve

User = get_user_model()

ENTITY_FIELDS = ("acronym", "name", "name_translations", "kind", "website", "is_active", "evidence", "note")


def _check_name_free(name: str, *, field: str, allow: Entity | None = None) -> None:
    """Refuse a name that already resolves to another entity (acronym, alias or full name)."""
    existing = entity_resolve(name)
    if existing is not None and existing != allow:
        raise ValidationError(
            {field: _("“%(name)s” is already used by %(entity)s.") % {"name": name, "entity": existing}}
        )


@transaction.atomic
def entity_create(
    *,
    acronym: str,
    name: str,
    kind: str,
    actor: AbstractBaseUser | None,
    website: str = "",
    evidence: str = Evidence.SECRETARIAT,
    note: str = "",
    name_translations: dict[str, dict[str, str]] | None = None,
) -> Entity:
    """Register a new entity. The acronym and name must not resolve to an existing one.
    ``name_translations`` are its official names in other languages ({"fr": {"name": …}})."""
    acronym, name = acronym.strip(), name.strip()
    _check_name_free(acronym, field="acronym")
    _check_name_free(name, field="name")
    entity = Entity(
        acronym=acronym,
        name=name,
        name_translations=translations_clean(name_translations or {}, ("name",)),
        kind=kind,
        website=website,
        evidence=evidence,
        note=note,
    )
    entity.full_clean()
    entity.save()
    audit_record(actor=actor, verb="entity.created", obj=entity, after=snapshot(entity, ENTITY_FIELDS))
    return entity


@transaction.atomic
def entity_update(*, entity: Entity, actor: AbstractBaseUser | None, **changes: Any) -> bool:
    """Change an entity's profile fields; returns whether anything changed.

    The row is locked first, so two editors never overwrite each other unseen and the audit
    row's "before" is what was really there. ``entity`` is refreshed in place.
    """
    unknown = set(changes) - set(ENTITY_FIELDS)
    if unknown:
        raise TypeError(f"entity_update() got unknown fields: {sorted(unknown)}")
    if "name_translations" in changes:
        changes["name_translations"] = translations_clean(changes["name_translations"], ("name",))
    current = Entity.objects.select_for_update().get(pk=entity.pk)
    changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if not changed:
        return False
    if "acronym" in changed:
        _check_name_free(changed["acronym"], field="acronym", allow=current)
    if "name" in changed:
        _check_name_free(changed["name"], field="name", allow=current)
    before = snapshot(current, changed)
    for field, value in changed.items():
        setattr(current, field, value)
    current.updated_at = timezone.now()
    current.full_clean()
    current.save(update_fields=[*changed, "updated_at"])
    audit_record(actor=actor, verb="entity.updated", obj=current, before=before, after=snapshot(current, changed))
    entity.refresh_from_db()
    return True


@transaction.atomic
def entity_alias_add(
    *,
    entity: Entity,
    name: str,
    actor: AbstractBaseUser | None,
    kind: str = EntityAlias.Kind.ALIAS,
    used_until: datetime.date | None = None,
    note: str = "",
) -> EntityAlias:
    """Record another name for an entity; it must not resolve to any entity yet."""
    name = name.strip()
    _check_name_free(name, field="name")
    alias = EntityAlias(entity=entity, name=name, kind=kind, used_until=used_until, note=note)
    alias.full_clean()
    alias.save()
    audit_record(
        actor=actor,
        verb="entity.alias_added",
        obj=entity,
        after=snapshot(alias, ("name", "kind", "used_until", "note")),
    )
    return alias


def _keep_former_name(
    entity: Entity, old: str, new: str, last_day: datetime.date, actor: AbstractBaseUser | None
) -> None:
    """After a rename the old name keeps resolving to the entity; a name taken back is no
    longer an alias."""
    for alias in entity.aliases.filter(name__iexact=new):
        audit_record(actor=actor, verb="entity.alias_removed", obj=entity, before={"name": alias.name})
        alias.delete()
    if old.lower() != new.lower() and entity_resolve(old) is None:
        entity_alias_add(entity=entity, name=old, kind=EntityAlias.Kind.FORMER_NAME, used_until=last_day, actor=actor)


@transaction.atomic
def entity_rename(
    *,
    entity: Entity,
    acronym: str,
    name: str,
    effective_on: datetime.date,
    actor: AbstractBaseUser | None,
) -> Entity:
    """Rename an entity (DPKO → DPO): the old acronym and full name become former names, used
    until the day before ``effective_on``, so imports and old links still resolve."""
    # The old names as stored (and locked), not as a caller's copy remembers them.
    old_acronym, old_name = Entity.objects.select_for_update().values_list("acronym", "name").get(pk=entity.pk)
    entity_update(entity=entity, actor=actor, acronym=acronym.strip(), name=name.strip())
    last_day = effective_on - datetime.timedelta(days=1)
    _keep_former_name(entity, old_acronym, entity.acronym, last_day, actor)
    _keep_former_name(entity, old_name, entity.name, last_day, actor)
    return entity


@transaction.atomic
def entity_profile_save(
    *, entity: Entity, actor: AbstractBaseUser | None, keep_former_names: bool, **fields: Any
) -> bool:
    """Save an entity's profile from its edit page.

    With ``keep_former_names`` (the secretariat's edits) a new acronym or name is a rename from
    today and the old ones stay as former names; a focal point's edit of the full name is a
    plain correction. Other fields are a plain update. Returns whether anything changed.
    """
    current = Entity.objects.select_for_update().get(pk=entity.pk)
    acronym, name = fields.pop("acronym", current.acronym), fields.pop("name", current.name)
    renamed = (acronym, name) != (current.acronym, current.name)
    if renamed and keep_former_names:
        entity_rename(entity=entity, acronym=acronym, name=name, effective_on=timezone.localdate(), actor=actor)
    elif renamed:
        fields.update(acronym=acronym, name=name)
    updated = entity_update(entity=entity, actor=actor, **fields)
    return renamed or updated


@transaction.atomic
def membership_record(
    *,
    entity: Entity,
    status: str,
    effective_from: datetime.date,
    actor: AbstractBaseUser | None,
    signed_on: datetime.date | None = None,
    evidence: str = Evidence.SECRETARIAT,
    source_note: str = "",
) -> Membership:
    """Add an entry to an entity's membership history (its status from ``effective_from``)."""
    if entity.memberships.filter(effective_from=effective_from).exists():
        raise ValidationError({"effective_from": _("This entity already has a membership entry on that date.")})
    entry = Membership(
        entity=entity,
        status=status,
        effective_from=effective_from,
        signed_on=signed_on,
        evidence=evidence,
        source_note=source_note,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if signed_on is not None and status not in (Membership.Status.MEMBER, Membership.Status.OBSERVER):
        raise ValidationError({"signed_on": _("Only members and observers sign the Compact.")})
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        verb="membership.recorded",
        obj=entity,
        after=snapshot(entry, ("status", "effective_from", "signed_on", "evidence", "source_note")),
    )
    return entry


@transaction.atomic
def person_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    actor: AbstractBaseUser | None,
    entity: Entity | None = None,
    title: str = "",
    roles: Iterable[Role] = (),
    clearance: str = Classification.UNCLASSIFIED,
    password: str | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
    language: str = "",
) -> AbstractBaseUser:
    """Create a user with their Compact profile and roles. No password means: cannot log in
    until they set one through a reset link. ``is_staff`` opens the Django admin. ``language``
    is the one they are written to in (a sign-on request's), blank for the browser's."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
        language=supported_language(language) or "",
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    profile = Profile.objects.create(user=user, entity=entity, title=title, clearance=clearance)
    audit_record(
        actor=actor,
        verb="person.created",
        obj=user,
        after={
            **snapshot(user, ("username", "email", "is_staff", "is_superuser", "language")),
            **snapshot(profile, ("entity", "title", "clearance")),
        },
    )
    person_roles_set(user=user, roles=roles, actor=actor)
    return user


@transaction.atomic
def person_roles_set(*, user: AbstractBaseUser, roles: Iterable[Role], actor: AbstractBaseUser | None) -> bool:
    """Make ``user`` hold exactly ``roles`` among the Compact roles; other groups are untouched."""
    wanted = {Role(role).value for role in roles}
    current = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    if wanted == current:
        return False
    user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    for name in wanted - current:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    user_roles_forget(user)
    audit_record(
        actor=actor,
        verb="person.roles_changed",
        obj=user,
        before={"roles": sorted(current)},
        after={"roles": sorted(wanted)},
    )
    return True


FOCAL_POINT_PERMISSION = "compact.manage_entity_profile"


@transaction.atomic
def focal_point_appoint(*, user: AbstractBaseUser, entity: Entity, actor: AbstractBaseUser | None) -> bool:
    """Make ``user`` a focal point of ``entity``: they may manage its profile and focal points.

    A person without an entity joins this one; a person of another entity is refused.
    Returns whether anything changed (appointing twice changes nothing).
    """
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    if profile.entity_id not in (None, entity.pk):
        raise ValidationError(_("A focal point must work for the entity they represent."))
    if profile.entity_id == entity.pk and _holds_object_permission(FOCAL_POINT_PERMISSION, user, entity):
        return False
    if profile.entity_id is None:
        profile.entity = entity
        profile.save(update_fields=["entity"])
    assign_perm(FOCAL_POINT_PERMISSION, user, entity)
    person_roles_set(user=user, roles={*user_roles_stored(user), Role.FOCAL_POINT}, actor=actor)
    audit_record(actor=actor, verb="entity.focal_point_appointed", obj=entity, after={"user": user.pk})
    return True


@transaction.atomic
def focal_point_remove(*, user: AbstractBaseUser, entity: Entity, actor: AbstractBaseUser | None) -> bool:
    """End ``user``'s role as focal point of ``entity``; they keep their other roles."""
    if not remove_perm_if_held(FOCAL_POINT_PERMISSION, user, entity):
        return False
    still_focal = UserObjectPermission.objects.filter(user=user, permission__codename="manage_entity_profile").exists()
    if not still_focal:
        person_roles_set(user=user, roles=user_roles_stored(user) - {Role.FOCAL_POINT}, actor=actor)
    audit_record(actor=actor, verb="entity.focal_point_removed", obj=entity, before={"user": user.pk})
    return True


def _holds_object_permission(permission: str, user: AbstractBaseUser, obj: Any) -> bool:
    """Whether ``user`` was granted ``permission`` on ``obj`` itself (a superuser's blanket
    rights do not count: they are not an appointment)."""
    return UserObjectPermission.objects.filter(
        user=user,
        permission__codename=permission.split(".")[1],
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
    ).exists()


def remove_perm_if_held(permission: str, user: AbstractBaseUser, obj: Any) -> bool:
    """Remove a user's object permission; returns whether they held it."""
    held = _holds_object_permission(permission, user, obj)
    if held:
        remove_perm(permission, user, obj)
    return held


def heartbeat_record(*, name: str) -> None:
    """Note that a background process is alive now (one row per name, updated in place)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


def _password_set_url(user: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def account_invitation_queue(
    *, user: AbstractBaseUser, entity: Entity | None, occasion: str, language: str | None = None
) -> None:
    """Queue the e-mail that invites ``user`` to set a password and sign in."""
    email_queue(
        occasion=occasion,
        recipients=[user.email],
        template="account-invitation",
        category=EmailCategory.ACCOUNT,
        link="",  # the link to set a password is a secret: never kept in the list
        context={
            "user": user,
            "entity": entity,
            # Where passwords are off, the invitation says to sign in with the organisation's account.
            "set_password_url": _password_set_url(user) if local_passwords_allowed() else "",
            "sign_in_url": absolute_url(reverse("login")),
            "sso_name": settings.OIDC_PROVIDER_NAME,
            "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
        },
        language=language,
    )


@transaction.atomic
def password_reset_email_queue(*, user: AbstractBaseUser, context: dict[str, Any]) -> None:
    """Queue a password-reset e-mail (from Django's reset form's context) through the outbox."""
    link = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
    email_queue(
        occasion=f"password-reset:{user.pk}:{timezone.now().isoformat()}",
        recipients=[user.email],
        template="password-reset",
        category=EmailCategory.ACCOUNT,
        link="",  # the reset link is a secret: never kept in the list
        context={"user": user, "reset_url": absolute_url(link)},
    )


def _require_entity_manager(actor: AbstractBaseUser, entity: Entity) -> None:
    if not can_manage_entity(actor, entity):
        raise PermissionDenied(_("Only the entity's focal points and OCT appoint its focal points."))


@transaction.atomic
def focal_point_invite(
    *,
    entity: Entity,
    email: str,
    given_name: str,
    family_name: str,
    title: str,
    actor: AbstractBaseUser,
) -> AbstractBaseUser:
    """A focal point (or OCT) names another focal point of their entity: the person's account
    is created if needed, appointed, and invited by e-mail to set a password."""
    _require_entity_manager(actor, entity)
    email = email.strip()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None and getattr(user, "profile", None) and user.profile.entity_id not in (None, entity.pk):
        raise ValidationError({"email": _("This address belongs to a person of another entity.")})
    if user is None:
        user = person_create(
            username=free_username(email),
            email=email,
            first_name=given_name.strip(),
            last_name=family_name.strip(),
            entity=entity,
            title=title.strip(),
            actor=actor,
        )
    if not focal_point_appoint(user=user, entity=entity, actor=actor):
        raise ValidationError({"email": _("This person is already a focal point of %(entity)s.") % {"entity": entity}})
    if not user.has_usable_password():
        account_invitation_queue(
            user=user, entity=entity, occasion=f"focal-point:{entity.pk}:{user.pk}:{timezone.now().isoformat()}"
        )
    return user


@transaction.atomic
def focal_point_dismiss(*, user: AbstractBaseUser, entity: Entity, actor: AbstractBaseUser) -> None:
    """A focal point or OCT ends someone's role as focal point. An entity keeps at least one
    focal point unless OCT removes the last (the entity would be left unmanaged)."""
    _require_entity_manager(actor, entity)
    others = UserObjectPermission.objects.filter(
        permission__codename="manage_entity_profile",
        content_type=ContentType.objects.get_for_model(entity),
        object_pk=str(entity.pk),
    ).exclude(user=user)
    if not is_oct(actor) and not others.exists():
        raise ValidationError(_("%(entity)s must keep at least one focal point.") % {"entity": entity})
    if not focal_point_remove(user=user, entity=entity, actor=actor):
        raise ValidationError(_("This person is not a focal point of %(entity)s.") % {"entity": entity})


def free_username(email: str) -> str:
    """A username for a new account made from an e-mail address, numbered if taken."""
    base = email.strip().lower()[:140]
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _check_organization_name_free(name: str) -> None:
    """A name means one body: not a Compact entity's name and not another organization's."""
    taken = entity_resolve(name) or organization_resolve(name)
    if taken is not None:
        raise ValidationError(
            {"name": _("“%(name)s” is already used by %(entity)s.") % {"name": name, "entity": taken}}
        )


@transaction.atomic
def organization_create(
    *, acronym: str, name: str, kind: str, actor: AbstractBaseUser | None, source: str = ""
) -> Organization:
    """Register an organization not party to the Compact (a UN entity outside it or a partner).
    Its acronym and name must not already name an entity or another organization."""
    acronym, name = acronym.strip(), name.strip()
    _check_organization_name_free(acronym)
    if name.lower() != acronym.lower():
        _check_organization_name_free(name)
    organization = Organization(acronym=acronym, name=name, kind=kind, source=source)
    organization.full_clean()
    organization.save()
    audit_record(
        actor=actor,
        verb="organization.created",
        obj=organization,
        after=snapshot(organization, ("acronym", "name", "kind", "source")),
    )
    return organization


@transaction.atomic
def organization_alias_add(
    *, organization: Organization, name: str, actor: AbstractBaseUser | None
) -> OrganizationAlias:
    """Record another name of an organization; it must not name any entity or organization yet."""
    name = name.strip()
    _check_organization_name_free(name)
    alias = OrganizationAlias(organization=organization, name=name)
    alias.full_clean()
    alias.save()
    audit_record(actor=actor, verb="organization.alias_added", obj=organization, after={"name": name})
    return alias
