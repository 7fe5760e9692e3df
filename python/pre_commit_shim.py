"""The PEP 517 build backend of the repository root's pyproject.toml.

pre-commit installs a `language: python` hook repository with `pip install .`. Were the
root the maturin project (python/pyproject.toml), that would compile oaslint, which is
what the `oaslint-python` hook exists to avoid. So the root is this shim instead: a wheel
with no code that depends on exactly the oaslint wheel of the same version, which pip
takes prebuilt from the package index (or from --find-links). The version is read from
Cargo.toml, the one source of truth, when the shim is built.

Standard library only, and no build requirements: pip needs nothing but the oaslint wheel.
"""

import base64
import gzip
import hashlib
import io
import os
import re
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = "oaslint-pre-commit"
DIST = "oaslint_pre_commit"
SUMMARY = "Installs the oaslint wheel for the oaslint-python pre-commit hook"
# Fixed timestamps: the same source gives the same wheel and sdist bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)


def _version():
    """[package] version of Cargo.toml."""
    section = None
    with open(os.path.join(ROOT, "Cargo.toml"), encoding="utf-8") as manifest:
        for line in manifest:
            line = line.strip()
            if line.startswith("["):
                section = line
            elif section == "[package]":
                found = re.match(r'version\s*=\s*"([^"]+)"', line)
                if found:
                    return found.group(1)
    raise RuntimeError("Cargo.toml has no [package] version")


def _metadata():
    version = _version()
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {NAME}\n"
        f"Version: {version}\n"
        f"Summary: {SUMMARY}\n"
        "License: MIT OR Apache-2.0\n"
        "Requires-Python: >=3.8\n"
        f"Requires-Dist: oaslint=={version}\n"
    )


def _dist_info():
    return f"{DIST}-{_version()}.dist-info"


def _wheel_files():
    info = _dist_info()
    wheel = "Wheel-Version: 1.0\nGenerator: oaslint pre_commit_shim\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return {f"{info}/METADATA": _metadata(), f"{info}/WHEEL": wheel}


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info = _dist_info()
    os.makedirs(os.path.join(metadata_directory, info), exist_ok=True)
    for path, text in _wheel_files().items():
        with open(os.path.join(metadata_directory, path), "w", encoding="utf-8") as out:
            out.write(text)
    return info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = _wheel_files()
    record_path = f"{_dist_info()}/RECORD"
    record = []
    name = f"{DIST}-{_version()}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, text in files.items():
            data = text.encode("utf-8")
            wheel.writestr(zipfile.ZipInfo(path, EPOCH), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        record.append(f"{record_path},,")
        wheel.writestr(zipfile.ZipInfo(record_path, EPOCH), "\n".join(record) + "\n")
    return name


def build_sdist(sdist_directory, config_settings=None):
    """The files this backend reads: pyproject.toml, Cargo.toml and this file."""
    base = f"{DIST}-{_version()}"
    name = f"{base}.tar.gz"
    # Nested, not parenthesised, `with`s: the shim must build on Python 3.8.
    with open(os.path.join(sdist_directory, name), "wb") as out:
        with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as compressed:
            with tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as sdist:
                members = {"PKG-INFO": _metadata().encode("utf-8")}
                for path in ("pyproject.toml", "Cargo.toml", "python/pre_commit_shim.py"):
                    with open(os.path.join(ROOT, path), "rb") as source:
                        members[path] = source.read()
                for path, data in members.items():
                    member = tarfile.TarInfo(f"{base}/{path}")
                    member.size = len(data)
                    member.mode = 0o644
                    sdist.addfile(member, io.BytesIO(data))
    return name
