"""Encryption at rest of ID numbers: SM4-GCM (GB/T 32907, authenticated, the 商用密码 an assessment expects),
and a keyed hash, HMAC-SM3 (GB/T 32905), to find and de-duplicate a number without decrypting anything.

Both come from ``cryptography``, whose bundled OpenSSL provides SM4 in GCM mode and SM3 (checked by
``tests/certificates/test_personal_data.py``). The keys come from the environment (``CERTIFICATE_ID_KEY``:
32 hex digits, ``CERTIFICATE_HASH_KEY``: 64 hex digits); development has fixed defaults, which a deployment
must replace (README, configuration).

A ciphertext is ``key id (1 byte) ‖ nonce (12 bytes) ‖ SM4-GCM(number) ‖ tag (16 bytes)``; the key id lets a
new key be introduced while old rows still decrypt (``CERTIFICATE_ID_OLD_KEYS``). The associated data binds a
ciphertext to its purpose, so a value copied from another encrypted column does not decrypt here.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache, lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

NONCE_BYTES = 12
TAG_BYTES = 16
ASSOCIATED_DATA = b"certificates.id_number.v1"


class DecryptionFailed(ValueError):
    """The ciphertext was altered, or was made with a key this deployment does not have."""


@cache
def _keys() -> tuple[int, dict[int, bytes]]:
    current_id = int(settings.CERTIFICATE_ID_KEY_ID)
    keys = {current_id: bytes.fromhex(settings.CERTIFICATE_ID_KEY)}
    for key_id, key in settings.CERTIFICATE_ID_OLD_KEYS.items():
        keys.setdefault(int(key_id), bytes.fromhex(key))
    if any(len(key) != 16 for key in keys.values()):
        raise ValueError("SM4 keys are 16 bytes (32 hex digits).")
    return current_id, keys


def encrypt(plaintext: str) -> bytes:
    key_id, keys = _keys()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(keys[key_id]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(ASSOCIATED_DATA)
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return bytes([key_id]) + nonce + body + encryptor.tag


def decrypt(ciphertext: bytes) -> str:
    from cryptography.exceptions import InvalidTag

    data = bytes(ciphertext)
    _current, keys = _keys()
    if len(data) < 1 + NONCE_BYTES + TAG_BYTES or data[0] not in keys:
        raise DecryptionFailed("unknown key or truncated ciphertext")
    nonce, body, tag = data[1 : 1 + NONCE_BYTES], data[1 + NONCE_BYTES : -TAG_BYTES], data[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(keys[data[0]]), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(ASSOCIATED_DATA)
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as error:
        raise DecryptionFailed("the ciphertext does not authenticate") from error


# SM3 of "abc", the first example of GB/T 32905-2016 (appendix A.1).
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def _openssl_sm3() -> bool:
    """Whether Python's own OpenSSL (``hashlib``) computes SM3, checked against the standard's example."""
    try:
        return hashlib.new("sm3", b"abc").hexdigest() == SM3_ABC
    except ValueError:  # an OpenSSL built without SM3
        return False


# HMAC-SM3 from Python's own OpenSSL (``hashlib``) where it has SM3; otherwise through ``cryptography``'s bundled
# OpenSSL. Both are RFC 2104 HMAC over SM3 and give the same bytes (tests/certificates/test_personal_data.py).
# With ``hashlib`` the key's inner and outer SM3 states are computed once per key and copied for each message:
# ``hmac.digest`` looks the algorithm up in OpenSSL's provider tables on every call, 10.8 µs against 1.8 µs for
# the copies, and a verification hashes the name given on every request (the ``cryptography`` object cost 3.6×
# the one call, bench/README.md, issue-ver3's section).
HASHLIB_SM3 = _openssl_sm3()
SM3_BLOCK_BYTES = 64


@lru_cache(maxsize=16)
def _sm3_pads(key: bytes):
    """The SM3 states after the key's inner and outer pads (RFC 2104), to be copied for each message."""
    if len(key) > SM3_BLOCK_BYTES:
        key = hashlib.new("sm3", key).digest()
    key = key.ljust(SM3_BLOCK_BYTES, b"\0")
    return hashlib.new("sm3", bytes(b ^ 0x36 for b in key)), hashlib.new("sm3", bytes(b ^ 0x5C for b in key))


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    if HASHLIB_SM3:
        inner_pad, outer_pad = _sm3_pads(key)
        inner, outer = inner_pad.copy(), outer_pad.copy()
        inner.update(message)
        outer.update(inner.digest())
        return outer.digest()
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(message)
    return mac.finalize()


def lookup_hash(number: str) -> str:
    """HMAC-SM3 of the normalised number, in hex: equal numbers, equal hashes; nothing to read without the key."""
    return hmac_sm3(bytes.fromhex(settings.CERTIFICATE_HASH_KEY), number.encode()).hex()


@cache
def _hash_key() -> bytes:
    return bytes.fromhex(settings.CERTIFICATE_HASH_KEY)


def name_hash(name: str) -> str:
    """HMAC-SM3 of a holder's name, apart from the ID numbers' (its own prefix): what a verification card in Redis
    holds instead of the name (``certificates.verification``)."""
    return hmac_sm3(_hash_key(), b"holder-name\x00" + name.encode()).hex()
