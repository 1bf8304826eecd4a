"""The API's fast check of a verification request says "plainly valid" exactly when ``VerifyForm`` is valid, and
cleans to what the form cleans to; anything else goes through the form and its messages (issue 16 item 3)."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from certificates.forms import VerifyForm, verify_given_plainly

NUMBER = "S000045000001265000001"


@pytest.mark.parametrize(
    "given",
    [
        {"number": NUMBER, "id_number": "", "name": "张小三"},
        {"number": f"  {NUMBER} ", "id_number": "", "name": " 张小三\t"},
        {"number": "", "id_number": "450102199003071238", "name": "张小三"},
        {"number": "N" * 40, "id_number": "", "name": "张"},  # on the limit
        {"number": "N" * 41, "id_number": "", "name": "张"},  # above it
        {"number": " " + "N" * 40 + " ", "id_number": "", "name": "张"},  # on it once stripped
        {"number": "", "id_number": "4" * 20, "name": "张"},
        {"number": "", "id_number": "4" * 21, "name": "张"},
        {"number": NUMBER, "id_number": "", "name": "张" * 50},
        {"number": NUMBER, "id_number": "", "name": "张" * 51},
        {"number": NUMBER, "id_number": "", "name": "   "},
        {"number": NUMBER, "id_number": "", "name": ""},
        {"number": "  ", "id_number": " ", "name": "张小三"},
        {"number": "", "id_number": "", "name": "张小三"},
        {"number": "S0\x0045", "id_number": "", "name": "张小三"},
        {"number": NUMBER, "id_number": "", "name": "张\x00三"},
        # The page's POST, a field sent twice: the form and the check both read its last value.
        QueryDict(f"number=FIRST&number={NUMBER}&name=%E5%BC%A0"),
        QueryDict(f"number={NUMBER}&name=%E5%BC%A0&name="),
        QueryDict("number=&id_number=&name=%E5%BC%A0&extra=1"),
    ],
)
def test_the_fast_check_agrees_with_the_form(given):
    form = VerifyForm(given)
    plain = verify_given_plainly(given)
    if form.is_valid():
        assert plain == {name: form.cleaned_data[name] for name in ("number", "id_number", "name")}
    else:
        assert plain is None
