"""Every signal receiver of the project, in one place. Signals carry only decoupled side effects."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.middleware import mark_renewed
from portal.models import AuditEvent
from portal.services import audit_record


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
        detail="locked for 30 minutes after 5 failed sign-ins",
    )
