"""Passwords that software ships as its documented defaults: committing one tells a reader
nothing the software's own manual does not (plaintext-secret, KL401, leaves them alone).

Each entry names where the default is documented. Only defaults as widely published as a
product's installation guide belong here; a demo's favourite password (`confluent`) does not.
"""

from __future__ import annotations

PUBLIC_DEFAULT_PASSWORDS: dict[str, str] = {
    # "The initial password of the cacerts keystore file is changeit." (keytool manual, The
    # cacerts Certificates File): the JDK's own truststore, often named as a client's truststore.
    "changeit": "https://docs.oracle.com/en/java/javase/21/docs/specs/man/keytool.html",
    # MINIO_ROOT_USER / MINIO_ROOT_PASSWORD default to minioadmin: the credentials a tiered
    # storage demo gives the broker's S3 remote storage manager for its local MinIO.
    "minioadmin": "https://min.io/docs/minio/linux/reference/minio-server/settings/root-credentials.html",
}


def is_public_default_password(text: str) -> bool:
    return text in PUBLIC_DEFAULT_PASSWORDS
