"""Field encryption and keyed hashing for personal data (GB/T 39786-2021: SM4 and HMAC-SM3).

A ciphertext is `v<N>:` followed by base64 of nonce, SM4-GCM ciphertext and tag: the prefix
names the key version, so keys rotate without a flag day. `FIELD_ENCRYPTION_KEY` is the
current secret, `FIELD_ENCRYPTION_KEY_VERSION` its number, and `FIELD_ENCRYPTION_KEYRING`
({version: secret}) keeps older secrets readable until `rotate_field_key` has moved every
value off them. The keyed hash (HMAC-SM3) lets the database find and de-duplicate a value
without ever holding it; while a rotation runs a value may be hashed under either key, so
lookups ask for `keyed_hashes(value)`. Encryption and hash keys are derived apart with HKDF
(SM3), one pair per version: neither can stand for the other, and no key is a string concatenation.
"""

import base64
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = [
    "DecryptionError",
    "current_version",
    "decrypt",
    "encrypt",
    "is_token",
    "keyed_hash",
    "keyed_hashes",
    "legacy_decrypt",
    "sign_bytes",
    "token_prefix",
    "token_version",
    "verify_signature",
]

NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(ValueError):
    """A ciphertext that no key in the keyring opens (wrong key, unknown version, or tampered)."""


def current_version() -> int:
    return int(getattr(settings, "FIELD_ENCRYPTION_KEY_VERSION", 1))


def _keyring() -> dict[int, str]:
    ring = {int(v): s for v, s in (getattr(settings, "FIELD_ENCRYPTION_KEYRING", None) or {}).items()}
    ring[current_version()] = settings.FIELD_ENCRYPTION_KEY
    return ring


@cache
def _derive(secret: str, version: int, purpose: bytes) -> bytes:
    # The salt pins the derivation to this system and version; `info` separates the purposes.
    return HKDF(
        algorithm=hashes.SM3(),
        length=16 if purpose == b"sm4-gcm" else 32,
        salt=b"mobilization-field-key-v%d" % version,
        info=b"mobilization/" + purpose,
    ).derive(secret.encode())


def _key(version: int, purpose: bytes) -> bytes:
    try:
        secret = _keyring()[version]
    except KeyError:
        raise DecryptionError(f"no key of version {version} in the keyring") from None
    return _derive(secret, version, purpose)


def token_prefix(version: int | None = None) -> str:
    return f"v{current_version() if version is None else version}:"


def is_token(value) -> bool:
    return isinstance(value, str) and value[:1] == "v" and ":" in value[:6] and value[1 : value.index(":")].isdigit()


def token_version(token: str) -> int:
    if not is_token(token):
        raise DecryptionError("not a field ciphertext")
    return int(token[1 : token.index(":")])


def encrypt(value: str) -> str:
    version = current_version()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_key(version, b"sm4-gcm")), modes.GCM(nonce)).encryptor()
    body = encryptor.update(value.encode()) + encryptor.finalize()
    return token_prefix(version) + base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode()


def decrypt(token: str) -> str:
    version = token_version(token)
    raw = base64.urlsafe_b64decode(token[token.index(":") + 1 :])
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_key(version, b"sm4-gcm")), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as exc:
        raise DecryptionError(f"ciphertext of version {version} does not open with that key") from exc


def _hmac_sm3(key: bytes, value: str) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(value.encode())
    return mac.finalize().hex()


def keyed_hash(value: str, version: int | None = None) -> str:
    """The HMAC-SM3 of `value` under the current key (or `version`'s): what is stored."""
    return _hmac_sm3(_key(current_version() if version is None else version, b"hmac-sm3"), value)


def keyed_hashes(value: str) -> list[str]:
    """The hashes `value` may be stored under: the current key first, then any older one
    still in the keyring (rows a running rotation has not reached yet)."""
    versions = sorted(_keyring(), key=lambda v: v != current_version())
    return [keyed_hash(value, v) for v in versions]


SIGNATURE_PURPOSE = b"hmac-sm3-signature"


def sign_bytes(data: bytes, version: int | None = None) -> str:
    """An HMAC-SM3 signature of a file the system writes (`v<N>:` and hex): a key of its own,
    derived apart from the hashing key, so that a signature is no keyed hash of a value."""
    version = current_version() if version is None else version
    mac = hmac.HMAC(_key(version, SIGNATURE_PURPOSE), hashes.SM3())
    mac.update(data)
    return f"v{version}:{mac.finalize().hex()}"


def verify_signature(data: bytes, signature: str) -> bool:
    """Whether `signature` (from `sign_bytes`) was made over exactly `data` by a key in the keyring."""
    prefix, _, digest = (signature or "").strip().partition(":")
    if not prefix.startswith("v") or not prefix[1:].isdigit() or not digest:
        return False
    try:
        expected = sign_bytes(data, int(prefix[1:]))
    except DecryptionError:
        return False
    return hmac_compare(expected, f"{prefix}:{digest.lower()}")


def hmac_compare(a: str, b: str) -> bool:
    import secrets

    return secrets.compare_digest(a.encode(), b.encode())


# Before SM4 (migrations only): Fernet under a SHA-256 of the key, HMAC-SHA256 for the hash.
def legacy_decrypt(token: str, secret: str | None = None) -> str:
    import hashlib

    from cryptography.fernet import Fernet

    secret = settings.FIELD_ENCRYPTION_KEY if secret is None else secret
    fernet = Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"encrypt:{secret}".encode()).digest()))
    return fernet.decrypt(token.encode()).decode()
