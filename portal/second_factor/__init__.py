"""The second factor of officials and administrators (MLPS level 3: two factors for privileged users).

City HR bureaus, the centre, the police, the experts and the administrators (and any staff or superuser
account) sign in with their password and then a code: the six digits of their authenticator app (TOTP, django-otp)
or one of their recovery codes, each good once. Until a session has passed that second step, it reaches nothing
but the second step, the enrolment of an official who has no authenticator yet, and the sign-out
(``middleware.SecondFactorRequired``); the admin site checks it again (``portal.admin_site``). Agencies sign in
with their password alone.

- ``services``: who needs it, enrolment, the check of a code, recovery codes;
- ``views``, ``urls`` (under ``accounts/``), ``forms``; the pages are in ``templates/registration/``.
"""
