"""Response headers the portal sets in one place (``portal.middleware.PrivateResponses``), and the one exception
a view may declare: the inspectors' phone pages that take photos with the camera (``camera_allowed``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

# Every powerful browser feature off; the portal uses none of them.
_FEATURES_OFF = (
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "sync-xhr",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in ("camera", *_FEATURES_OFF))
# The same with the camera allowed to the portal's own pages (never to a frame of another origin).
PERMISSIONS_POLICY_CAMERA = ", ".join(["camera=(self)", *(f"{feature}=()" for feature in _FEATURES_OFF)])


def camera_allowed(view: Callable) -> Callable:
    """For a page that takes photos with the phone's camera (inspection photos, rectification evidence)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Permissions-Policy"] = PERMISSIONS_POLICY_CAMERA
        return response

    return wrapped
