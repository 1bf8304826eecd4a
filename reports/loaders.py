"""The gate between a request and a report: outside the user's jurisdiction, a 404; a report of a region
below it (the province reading a city's) may be read but not changed: 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from portal.lib.http import object_or_404
from reports.models import Report
from reports.selectors import report_region_of, reports_visible_to


def report_for(request: HttpRequest, pk: int | str, *, write: bool = False) -> Report:
    report = object_or_404(reports_visible_to(request.user), pk)
    if write:
        region = report_region_of(request.user)
        if region is None or region.pk != report.region_id:
            raise PermissionDenied
    return report
