"""Field encryption and keyed hashing for personal data, both keyed by FIELD_ENCRYPTION_KEY.

Encryption (Fernet: AES-128-CBC with HMAC-SHA256) keeps the value unreadable at rest;
the keyed hash (HMAC-SHA256) lets the database find and de-duplicate a value without
ever holding it in clear. The two keys are derived apart so that one cannot stand for the other.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet
from django.conf import settings

__all__ = ["decrypt", "encrypt", "keyed_hash"]


def _derive(purpose):
    return hashlib.sha256(f"{purpose}:{settings.FIELD_ENCRYPTION_KEY}".encode()).digest()


@cache
def _fernet(key):
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"encrypt:{key}".encode()).digest()))


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def keyed_hash(value: str) -> str:
    return hmac.new(_derive("hash"), value.encode(), hashlib.sha256).hexdigest()
