import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from portal.lib.validators import (
    normalise_uscc,
    uscc_check_character_ok,
    validate_landline,
    validate_mobile,
    validate_non_negative,
    validate_not_future,
    validate_phone,
    validate_uscc,
)

# Codes whose check character is right: two demo organisations, and the two other demo codes corrected.
VALID_USCCS = ["52450100MJA7K3Q8X0", "52450200MJB2R6T4WN", "91450100MA5L2Y8K3G", "51450200MJC8T1P5X6"]
WRONG_CHECK_CHARACTER = "91450100MA5L2Y8K3R"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refusal(validator, value, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validator(value, **kwargs)
    return caught.value


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


@pytest.mark.parametrize("code", VALID_USCCS)
def test_a_valid_credit_code_is_accepted(code):
    validate_uscc(code)
    assert uscc_check_character_ok(code)


def test_a_wrong_check_character_is_refused_with_advice_to_compare_with_the_certificate():
    error = refusal(validate_uscc, WRONG_CHECK_CHARACTER)
    assert codes(error) == ["uscc_check_character"]
    assert "does not match the others" in str(error.messages)
    assert "registration certificate" in str(error.messages)


def test_a_wrong_check_character_can_be_accepted_as_a_warning():
    validate_uscc(WRONG_CHECK_CHARACTER, check_character=False)
    assert not uscc_check_character_ok(WRONG_CHECK_CHARACTER)


def test_format_errors_are_refused_even_when_the_check_character_is_skipped():
    error = refusal(validate_uscc, "91450100MA5L2Y8K3", check_character=False)
    assert codes(error) == ["uscc_length"]


# The demo organisations' codes, as the README lists them.
DEMO_CODES = ["52450100MJA7K3Q8X0", "52450200MJB2R6T4WN", "91450100MA5L2Y8K3G", "51450200MJC8T1P5X6"]


def test_every_demo_organisation_has_a_well_formed_credit_code():
    for code in DEMO_CODES:
        validate_uscc(code, check_character=False)


def test_a_code_one_character_short_says_how_many_were_entered():
    error = refusal(validate_uscc, "91450100MA5L2Y8K3")
    assert "The unified social credit code has 18 characters; you entered 17." in error.messages


def test_a_code_too_long_says_how_many_were_entered():
    error = refusal(validate_uscc, "91450100MA5L2Y8K3GG")
    assert "you entered 19." in str(error.messages)


def test_lowercase_letters_are_refused_with_advice_to_use_capitals():
    error = refusal(validate_uscc, "91450100ma5l2y8k3g")
    assert codes(error) == ["uscc_lowercase"]
    assert "Use capital letters in the unified social credit code" in str(error.messages)
    assert "“m” “a” “l” “y” “k” “g”" in str(error.messages)


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_each_letter_the_standard_leaves_out_is_refused(letter):
    error = refusal(validate_uscc, "91450100MA5L2Y8K3" + letter)
    assert codes(error) == ["uscc_forbidden_letter"]
    assert "never contains the letters I, O, S, V or Z" in str(error.messages)
    assert f"you entered “{letter}”" in str(error.messages)


def test_a_lowercase_forbidden_letter_gets_both_messages():
    error = refusal(validate_uscc, "91450100MA5L2Y8K3o")
    assert codes(error) == ["uscc_lowercase", "uscc_forbidden_letter"]


def test_full_width_characters_are_refused_with_advice_to_switch_to_half_width():
    error = refusal(validate_uscc, "９１450100MA5L2Y8K3G")
    assert codes(error) == ["uscc_full_width"]
    assert "switch your input method to half-width" in str(error.messages)
    assert "“９” “１”" in str(error.messages)


def test_full_width_characters_are_not_quietly_converted():
    assert normalise_uscc("９１450100MA5L2Y8K3G") == "９１450100MA5L2Y8K3G"
    assert normalise_uscc("91450100ma5l2y8k3g") == "91450100ma5l2y8k3g"


def test_spaces_are_removed_by_normalising_and_refused_by_the_validator():
    assert normalise_uscc(" 9145 0100 MA5L 2Y8K 3G\u3000") == "91450100MA5L2Y8K3G"
    error = refusal(validate_uscc, "9145 0100 MA5L 2Y8K 3G")
    assert codes(error) == ["uscc_spaces"]
    assert "Remove the spaces" in str(error.messages)


def test_punctuation_and_chinese_characters_are_named_in_the_message():
    error = refusal(validate_uscc, "91450100-MA5L2Y8K3G号")
    assert "uscc_invalid_character" in codes(error)
    assert "only digits and capital letters; remove “-” “号”" in str(error.messages)


def test_letters_in_the_region_code_are_refused():
    error = refusal(validate_uscc, "9145A100MA5L2Y8K3G")
    assert codes(error) == ["uscc_region"]
    assert "Characters 3 to 8" in str(error.messages)
    assert "“45A100”" in str(error.messages)


@pytest.mark.parametrize("value", ["", None])
def test_a_blank_code_asks_for_one(value):
    error = refusal(validate_uscc, value)
    assert error.code == "uscc_blank"
    assert error.messages == ["Enter the unified social credit code."]


@pytest.mark.parametrize("number", ["13877112345", "19912345678", "15077112345"])
def test_a_mainland_mobile_number_is_accepted(number):
    validate_mobile(number)
    validate_phone(number)


@pytest.mark.parametrize("number", ["12877112345", "1387711234", "138771123456", "138 7711 2345", "+8613877112345", ""])
def test_a_malformed_mobile_number_is_refused(number):
    error = refusal(validate_mobile, number)
    assert error.code == "mobile_invalid"
    assert "11 digits starting with 13 to 19" in str(error.messages)


@pytest.mark.parametrize(
    "number",
    ["0771-5832198", "0771 5832198", "07715832198", "0771-5832198-123", "010-62345678", "020 88886666"],
)
def test_a_landline_number_with_area_code_is_accepted(number):
    validate_landline(number)
    validate_phone(number)


@pytest.mark.parametrize(
    "number", ["5832198", "771-5832198", "0771-583219", "0771-583219812", "0771-5832198-", "0771--5832198"]
)
def test_a_landline_number_without_area_code_or_with_wrong_length_is_refused(number):
    error = refusal(validate_landline, number)
    assert error.code == "landline_invalid"
    assert "landline number with its area code, for example 0771-5832198" in str(error.messages)


def test_a_phone_number_of_neither_kind_names_both_accepted_formats():
    error = refusal(validate_phone, "12345")
    assert error.code == "phone_invalid"
    assert "mobile number of 11 digits (for example 13877112345)" in str(error.messages)
    assert "landline number with its area code (for example 0771-5832198)" in str(error.messages)


def test_today_and_past_dates_are_accepted():
    validate_not_future(timezone.localdate())
    validate_not_future(dt.date(2020, 1, 1))


def test_a_future_date_is_refused_and_named():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    error = refusal(validate_not_future, tomorrow)
    assert error.code == "date_in_future"
    assert error.messages == [f"The date {tomorrow.isoformat()} is in the future; enter a date no later than today."]


@pytest.mark.parametrize("value", [0, 1, 250, Decimal("3"), 4.0])
def test_zero_and_positive_whole_numbers_are_accepted(value):
    validate_non_negative(value)


def test_a_negative_number_is_refused_and_named():
    error = refusal(validate_non_negative, -3)
    assert error.code == "negative_number"
    assert error.messages == ["The number cannot be negative; you entered -3."]


@pytest.mark.parametrize("value", [Decimal("2.5"), 0.5, float("nan"), float("inf"), True, "3"])
def test_a_fraction_or_non_number_asks_for_a_whole_number(value):
    error = refusal(validate_non_negative, value)
    assert error.code == "not_whole_number"
    assert error.messages == ["Enter a whole number."]
