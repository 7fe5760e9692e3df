#!/usr/bin/env bash
# Build oaslint's release artifacts for this machine's platform into dist/:
#
#   oaslint-VERSION-TARGET.tar.gz   the binary with README.md and both licences (.zip on Windows)
#   oaslint-VERSION-*.whl           the wheel (pip, pipx, uvx, the oaslint-python pre-commit hook)
#   oaslint-VERSION.tar.gz          the source distribution PyPI builds from where no wheel fits
#   oaslint-VERSION.tgz             the npm launcher package
#   oaslint-NPM_PLATFORM-VERSION.tgz  the npm package of this platform's binary (@oaslint/...)
#   SHA256SUMS                      sha256sum -c SHA256SUMS checks them
#
# One cargo build: maturin builds the wheel from target/ (stripped), and the archive and the
# npm package take the binary out of the wheel, so the three hold the same bytes. Each
# artifact is then checked: the binary says this version and finds the fixture's finding.
#
#   scripts/release.sh                                     everything, for this machine
#   scripts/release.sh package WHEEL TARGET NPM_PLATFORM OUT_DIR
#       the archive and npm package of a wheel built elsewhere (the release workflow,
#       .github/workflows/release.yml, does this per target, then the rest once)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version="$(sed -n '/^\[package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)"
# `python` first: on Windows `python3` may be the store's stub.
python=python
python -c 'import sys; sys.exit(sys.version_info[0] != 3)' 2>/dev/null || python=python3

# package WHEEL TARGET NPM_PLATFORM OUT_DIR: the binary archive and the npm platform
# package, from the binary inside WHEEL. Python writes the archive, the same way on Linux,
# macOS (whose tar is not GNU tar) and Windows: sorted, with fixed owners and times, so
# that the same wheel gives the same archive.
package() {
    local wheel="$1" target="$2" npm_platform="$3" out="$4" exe="" format=tar.gz staging
    [[ "$target" == *windows* ]] && exe=.exe && format=zip
    mkdir -p "$out"
    out="$(cd "$out" && pwd)"
    staging="$(mktemp -d)"
    "$python" - "$wheel" "oaslint-$version.data/scripts/oaslint$exe" "$staging/oaslint$exe" \
        "$out/oaslint-$version-$target.$format" "oaslint-$version-$target" README.md LICENSE-MIT LICENSE-APACHE <<'PY'
import gzip, io, os, shutil, stat, sys, tarfile, zipfile

wheel, member, binary, archive, top, *docs = sys.argv[1:]
with zipfile.ZipFile(wheel) as whl, whl.open(member) as source, open(binary, "wb") as target:
    shutil.copyfileobj(source, target)
os.chmod(binary, 0o755)
files = sorted([(os.path.basename(binary), binary, 0o755)] + [(doc, doc, 0o644) for doc in docs])
if archive.endswith(".zip"):
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for name, path, mode in files:
            info = zipfile.ZipInfo(f"{top}/{name}", (1980, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as data:
                out.writestr(info, data.read())
else:
    with open(archive, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as out:
            directory = tarfile.TarInfo(top)
            directory.type, directory.mode = tarfile.DIRTYPE, 0o755
            out.addfile(directory)
            for name, path, mode in files:
                info = tarfile.TarInfo(f"{top}/{name}")
                info.size, info.mode = os.path.getsize(path), mode
                with open(path, "rb") as data:
                    out.addfile(info, data)
print(archive)
PY
    node npm/pack.js --out "$out" --platform "$npm_platform" --binary "$staging/oaslint$exe"
    rm -rf "$staging"
}

if [ "${1:-}" = package ]; then
    shift
    [ "$#" = 4 ] || { echo "usage: scripts/release.sh package WHEEL TARGET NPM_PLATFORM OUT_DIR" >&2; exit 2; }
    package "$@"
    exit 0
fi
[ "$#" = 0 ] || { echo "usage: scripts/release.sh [package WHEEL TARGET NPM_PLATFORM OUT_DIR]" >&2; exit 2; }

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "release: $tool is needed for the npm packages" >&2; exit 1; }
done
target="$(rustc -vV | sed -n 's/^host: //p')"
case "$target" in
    x86_64-unknown-linux-gnu) npm_platform=linux-x64 ;;
    aarch64-unknown-linux-gnu) npm_platform=linux-arm64 ;;
    x86_64-unknown-linux-musl) npm_platform=linux-x64-musl ;;
    aarch64-unknown-linux-musl) npm_platform=linux-arm64-musl ;;
    x86_64-apple-darwin) npm_platform=darwin-x64 ;;
    aarch64-apple-darwin) npm_platform=darwin-arm64 ;;
    x86_64-pc-windows-msvc) npm_platform=win32-x64 ;;
    aarch64-pc-windows-msvc) npm_platform=win32-arm64 ;;
    *) echo "release: no npm platform package is defined for $target (npm/oaslint/platforms.json)" >&2; exit 1 ;;
esac

dist="$root/dist"
rm -rf "$dist"
mkdir -p "$dist"
echo "release: oaslint $version for $target into dist/"
wheel="$(scripts/build-wheel.sh "$dist")"
tools="$(scripts/py-tools.sh)"
# (From python/, maturin first prints a harmless "manifest path `Cargo.toml` does not exist".)
(cd python && "$tools/bin/maturin" sdist --out "$dist" 1>&2)
package "$wheel" "$target" "$npm_platform" "$dist" >/dev/null
node npm/pack.js --out "$dist" --main >/dev/null

# Check what was built: the archive's binary runs and finds the fixture's finding, and
# every artifact says this version.
check="$(mktemp -d)"
trap 'rm -rf "$check"' EXIT
tar -C "$check" -xzf "$dist/oaslint-$version-$target.tar.gz"
bin="$check/oaslint-$version-$target/oaslint"
for file in README.md LICENSE-MIT LICENSE-APACHE; do
    [ -f "$check/oaslint-$version-$target/$file" ] || { echo "release: the archive lacks $file" >&2; exit 1; }
done
read -r name got _ < <("$bin" --version)
[ "$name $got" = "oaslint $version" ] || { echo "release: the binary says '$name $got', not 'oaslint $version'" >&2; exit 1; }
code=0
"$bin" lint --format compact testdata/cli/bad.yaml >"$check/lint.txt" || code=$?
if [ "$code" != 1 ] || ! grep -q "testdata/cli/bad.yaml:13:11: error \[no-body\]" "$check/lint.txt"; then
    echo "release: the binary did not find the fixture's finding (exit $code)" >&2
    exit 1
fi
for artifact in "oaslint-$version.tar.gz" "oaslint-$version.tgz" "oaslint-$npm_platform-$version.tgz"; do
    [ -f "$dist/$artifact" ] || { echo "release: dist/$artifact is missing" >&2; exit 1; }
done

(cd "$dist" && sha256sum -- * >SHA256SUMS && sha256sum --quiet -c SHA256SUMS)
echo "release: $("$bin" --version)"
(cd "$dist" && du -k -- *)
