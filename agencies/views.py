from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from agencies.selectors import organisations_visible_to
from portal.lib.access import roles
from portal.models import Role


@roles(Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN)
def organisation_list(request):
    organisations = organisations_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(Q(name__icontains=query) | Q(uscc__icontains=query))
    page = Paginator(organisations, 25).get_page(request.GET.get("page"))
    context = {"page": page, "search": query, "query": urlencode({"q": query}) if query else ""}
    return render(request, "agencies/organisation_list.html", context)


@roles(Role.AGENCY, Role.CITY_HR, Role.CENTRE, Role.POLICE, Role.ADMIN)
def organisation_detail(request, pk: int):
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    return render(request, "agencies/organisation_detail.html", {"organisation": organisation})
