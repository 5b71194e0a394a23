"""Backup and restore of a whole installation: the database and the stored files.

One archive (tar) holds `manifest.json`, `database.dump` (pg_dump custom format) and every file
in the default storage under `files/`. Files are read and written through Django's storage API
only, so the same commands work with local disk and with S3-compatible object storage.
Restore goes into an empty installation only (no tables, no files): it never merges.
"""

import hashlib
import io
import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise BackupError("Sikkerhetskopi støttes bare for PostgreSQL (DATABASE_URL).")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, [*args, "--dbname", db["NAME"]]


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} feilet: {result.stderr.strip()[-2000:]}")


def storage_files(storage=default_storage, top: str = "") -> list[str]:
    """Every file name in the storage, recursively, sorted."""
    dirs, files = storage.listdir(top)
    names = [f"{top}/{f}" if top else f for f in files]
    for d in dirs:
        names += storage_files(storage, f"{top}/{d}" if top else d)
    return sorted(names)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup_create(*, path: Path) -> dict:
    """Write the archive to `path` (through a temporary name, so a failed run leaves nothing
    that looks like a backup). Returns the manifest."""
    env, args = _pg_env_and_args()
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.dump"
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(dump),
                *args,
            ],
            env,
        )
        partial = path.with_name(path.name + ".part")
        files = {}
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname="database.dump")
            for name in storage_files():
                with default_storage.open(name, "rb") as fh:
                    data = fh.read()
                files[name] = hashlib.sha256(data).hexdigest()
                _add_bytes(tar, f"files/{name}", data)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database_sha256": hashlib.sha256(dump.read_bytes()).hexdigest(),
                "files": files,
            }
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
        partial.replace(path)
    return manifest


def _installation_is_empty() -> list[str]:
    problems = []
    tables = connection.introspection.table_names()
    if tables:
        problems.append(f"databasen har allerede {len(tables)} tabeller")
    files = storage_files()
    if files:
        problems.append(f"fillageret har allerede {len(files)} filer")
    return problems


def backup_restore(*, path: Path) -> dict:
    """Restore the archive into an empty installation (migrated tables come from the dump)."""
    env, args = _pg_env_and_args()
    problems = _installation_is_empty()
    if problems:
        raise BackupError("Gjenoppretting krever en tom installasjon: " + "; ".join(problems) + ".")
    with tarfile.open(path, "r") as tar, tempfile.TemporaryDirectory() as tmp:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Ukjent format på sikkerhetskopien: {manifest.get('format')}")
        dump = Path(tmp) / "database.dump"
        dump.write_bytes(tar.extractfile("database.dump").read())
        if hashlib.sha256(dump.read_bytes()).hexdigest() != manifest["database_sha256"]:
            raise BackupError("Databasedumpen er skadet (sjekksummen stemmer ikke).")
        contents = {}
        for name, digest in manifest["files"].items():
            data = tar.extractfile(f"files/{name}").read()
            if hashlib.sha256(data).hexdigest() != digest:
                raise BackupError(f"Filen {name} er skadet (sjekksummen stemmer ikke).")
            contents[name] = data
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(dump),
            ],
            env,
        )
    for name, data in contents.items():
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:
            raise BackupError(f"Filen {name} ble lagret som {saved}.")
    return manifest
