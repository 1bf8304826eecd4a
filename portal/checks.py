"""System checks of the portal (``manage.py check``; the server runs them on start)."""

from django.core.checks import Warning, register

from portal.lib.pdf import HARFBUZZ_SUBSET_PACKAGE, harfbuzz_subset_in_use


@register()
def harfbuzz_subset(app_configs, **kwargs) -> list[Warning]:
    if harfbuzz_subset_in_use():
        return []
    return [
        Warning(
            "WeasyPrint subsets the CJK fonts with fontTools: each PDF takes seconds longer to render.",
            hint=f"Install Debian's {HARFBUZZ_SUBSET_PACKAGE} package (apt-get install {HARFBUZZ_SUBSET_PACKAGE}).",
            id="portal.W001",
        )
    ]
