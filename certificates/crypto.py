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

import os
from functools import cache

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


def lookup_hash(number: str) -> str:
    """HMAC-SM3 of the normalised number, in hex: equal numbers, equal hashes; nothing to read without the key."""
    mac = crypto_hmac.HMAC(bytes.fromhex(settings.CERTIFICATE_HASH_KEY), hashes.SM3())
    mac.update(number.encode())
    return mac.finalize().hex()


@cache
def _hash_key() -> bytes:
    return bytes.fromhex(settings.CERTIFICATE_HASH_KEY)


def name_hash(name: str) -> str:
    """HMAC-SM3 of a holder's name, apart from the ID numbers' (its own prefix): what a verification card in Redis
    holds instead of the name (``certificates.verification``)."""
    mac = crypto_hmac.HMAC(_hash_key(), hashes.SM3())
    mac.update(b"holder-name\x00" + name.encode())
    return mac.finalize().hex()
