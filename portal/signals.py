"""Every signal receiver of the project, in one place. Signals carry only decoupled side effects."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.middleware import mark_renewed
from portal.models import AuditEvent
from portal.services import audit_record, audit_text

ADMIN_VERBS = {ADDITION: _("added"), CHANGE: _("changed"), DELETION: _("deleted")}


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditEvent.Action.LOGIN, request=request, actor=user)


@receiver(user_logged_in)
def session_renewed_at_sign_in(sender, request, user, **kwargs) -> None:
    mark_renewed(request.session)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        username=credentials.get("username", ""),
        result=AuditEvent.Result.FAILURE,
    )


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action=AuditEvent.Action.LOGOUT, request=request, actor=user)


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs) -> None:
    audit_record(
        action=AuditEvent.Action.LOCKOUT,
        request=request,
        username=username or "",
        result=AuditEvent.Result.FAILURE,
        detail=audit_text(_("Locked for 30 minutes after 5 failed sign-ins.")),
    )


@receiver(post_save, sender=LogEntry)
def audit_admin_change(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    """Every change made in the administration site (roles, deactivations, holidays, lockouts reset …): Django
    writes a LogEntry for each, whatever the model's admin; the audit log gets it in words."""
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    with translation.override(settings.LANGUAGE_CODE):
        detail = _("%(verb)s %(model)s “%(object)s”") % {
            "verb": ADMIN_VERBS.get(instance.action_flag, ADMIN_VERBS[CHANGE]),
            "model": model._meta.verbose_name if model else "",
            "object": instance.object_repr,
        }
        message = instance.get_change_message() if instance.action_flag == CHANGE else ""
        if message:
            detail = f"{detail}：{message}"
    audit_record(action=AuditEvent.Action.ADMIN_CHANGE, actor=instance.user, detail=detail)
