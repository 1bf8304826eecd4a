"""ID numbers (GB 11643-1999), their encryption at rest (SM4-GCM), lookup hash (HMAC-SM3) and masking."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ValidationError

from certificates import crypto
from certificates.idnumbers import gender, mask_id, mask_name, validate_id_number

# The example of GB 11643-1999 itself, and two more whose check characters were worked by hand (MOD 11-2).
STANDARD_EXAMPLE = "11010519491231002X"
NANNING_MAN = "450102199003071238"
XIAN_WOMAN = "610102198506152342"


@pytest.mark.parametrize("number", [STANDARD_EXAMPLE, NANNING_MAN, XIAN_WOMAN])
def test_valid_numbers_pass(number):
    assert validate_id_number(number) == number


def test_a_lower_case_x_and_spaces_are_accepted_as_typed():
    assert validate_id_number(" 11010519491231002x ") == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "check"),  # the check character should be X
        ("450102199003071230", "check"),
        ("45010219900307123", "format"),  # 17 characters
        ("4501021990030712388", "format"),  # 19
        ("45010219900307123A", "format"),
        ("990102199003071238", "region"),  # no province 99
        ("000102199003071238", "region"),
        ("450102199002301238", "birth"),  # 30 February
        ("450102189912311238", "birth"),  # before 1900
        ("450102203001011238", "birth"),  # in the future
    ],
)
def test_invalid_numbers_are_refused_saying_why(number, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(number, today=dt.date(2026, 6, 1))
    assert excinfo.value.code == code


def test_gender_is_the_parity_of_the_seventeenth_digit():
    assert gender(NANNING_MAN) == "M" and gender(XIAN_WOMAN) == "F"


def test_masks_as_the_issue_shows_them():
    assert mask_id("450101199001011234") == "4501**********1234"
    assert mask_name("张小三") == "张*三"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳晓明") == "欧**明"


def test_the_installed_cryptography_does_sm4_gcm_and_sm3():
    key, nonce = bytes(16), bytes(12)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    assert len(encryptor.update(b"x") + encryptor.finalize()) == 1
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(b"abc")
    assert len(mac.finalize()) == 32


def test_a_number_round_trips_and_two_encryptions_differ():
    first, second = crypto.encrypt(NANNING_MAN), crypto.encrypt(NANNING_MAN)
    assert first != second and NANNING_MAN.encode() not in first
    assert crypto.decrypt(first) == crypto.decrypt(second) == NANNING_MAN


def test_an_altered_ciphertext_does_not_decrypt():
    data = bytearray(crypto.encrypt(NANNING_MAN))
    data[20] ^= 1
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(bytes(data))


def test_a_ciphertext_under_an_old_key_still_decrypts(settings):
    old = crypto.encrypt(NANNING_MAN)
    crypto._keys.cache_clear()
    settings.CERTIFICATE_ID_OLD_KEYS = {"1": settings.CERTIFICATE_ID_KEY}
    settings.CERTIFICATE_ID_KEY, settings.CERTIFICATE_ID_KEY_ID = "ff" * 16, 2
    try:
        assert crypto.encrypt(NANNING_MAN)[0] == 2
        assert crypto.decrypt(old) == NANNING_MAN
    finally:
        crypto._keys.cache_clear()


def test_the_lookup_hash_is_keyed_and_stable(settings):
    assert crypto.lookup_hash(NANNING_MAN) == crypto.lookup_hash(NANNING_MAN)
    assert crypto.lookup_hash(NANNING_MAN) != crypto.lookup_hash(XIAN_WOMAN)
    before = crypto.lookup_hash(NANNING_MAN)
    settings.CERTIFICATE_HASH_KEY = "11" * 32
    assert crypto.lookup_hash(NANNING_MAN) != before


# ---------------------------------------------------------------- HMAC-SM3 in one call (issue-ver3)

# GB/T 32905-2016, appendix A: SM3 of "abc" and of "abcd" repeated 16 times.
SM3_EXAMPLES = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _hmac_by_definition(key: bytes, message: bytes) -> bytes:
    """RFC 2104 over SM3 (64-byte blocks), written out: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m))."""
    key = (_sm3(key) if len(key) > 64 else key).ljust(64, b"\0")
    inner = _sm3(bytes(b ^ 0x36 for b in key) + message)
    return _sm3(bytes(b ^ 0x5C for b in key) + inner)


@pytest.mark.parametrize(("data", "expected"), SM3_EXAMPLES)
def test_sm3_gives_the_standards_examples(data, expected):
    import hashlib

    assert _sm3(data).hex() == expected
    # The one-call path is taken wherever Python's OpenSSL has SM3 (this machine's and the image's do).
    assert ("sm3" in hashlib.algorithms_available) == crypto.HASHLIB_SM3
    if crypto.HASHLIB_SM3:
        assert hashlib.new("sm3", data).hexdigest() == expected


@pytest.mark.parametrize("one_call", [True, False], ids=["hashlib", "cryptography"])
@pytest.mark.parametrize("key", [bytes(range(32)), b"k", bytes(100)], ids=["32-bytes", "short", "long"])
def test_hmac_sm3_is_rfc_2104_over_sm3_by_either_library(monkeypatch, one_call, key):
    if one_call and not crypto.HASHLIB_SM3:
        pytest.skip("Python's OpenSSL has no SM3 here")
    monkeypatch.setattr(crypto, "HASHLIB_SM3", one_call)
    for message in (b"", "陆海涛".encode(), b"holder-name\x00Ana Li", bytes(200)):
        assert crypto.hmac_sm3(key, message) == _hmac_by_definition(key, message)


@pytest.mark.parametrize("one_call", [True, False], ids=["hashlib", "cryptography"])
def test_the_name_and_lookup_hashes_are_hmac_sm3_under_the_hash_key(monkeypatch, settings, one_call):
    if one_call and not crypto.HASHLIB_SM3:
        pytest.skip("Python's OpenSSL has no SM3 here")
    monkeypatch.setattr(crypto, "HASHLIB_SM3", one_call)
    key = bytes.fromhex(settings.CERTIFICATE_HASH_KEY)
    assert crypto.lookup_hash(NANNING_MAN) == _hmac_by_definition(key, NANNING_MAN.encode()).hex()
    expected = _hmac_by_definition(key, "holder-name\0张小三".encode()).hex()
    assert crypto.name_hash("张小三") == expected
    assert crypto.name_hash("张小三") != crypto.lookup_hash("张小三")  # the prefix keeps the two apart
