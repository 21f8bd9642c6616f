#!/usr/bin/env bash
# deps.sh - install the Debian 12 packages gongkai needs to build and test,
# and only those that are missing.  Every make target runs it first, so it
# must be quick and quiet when everything is already there.
#
#   scripts/deps.sh [EXTRA_PACKAGE...]
#
# To depend on a new package, add it to PKGS and say why in WHY.
set -euo pipefail

PKGS=(
  build-essential
  cmake
  pkg-config
  git
  libutf8proc-dev
  nettle-dev
  libjansson-dev
  clang
  libclang-rt-14-dev
  clang-format
  clang-tidy
  libxml2-dev
  libzip-dev
  libmupdf-dev
  libmujs-dev
  libgumbo-dev
  libopenjp2-7-dev
  libjbig2dec0-dev
  libharfbuzz-dev
  libjpeg-dev
  libfreetype-dev
  libpng-dev
  libbrotli-dev
  zlib1g-dev
  mupdf-tools
  libxlsxwriter-dev
  libsqlite3-dev
  libpq-dev
  postgresql
  libmicrohttpd-dev
  libcurl4-openssl-dev
  libargon2-dev
  openssl
  chromium
  chromium-driver
  python3-selenium
  python3
  poppler-utils
  libreoffice-writer-nogui
  fonts-noto-cjk
  pandoc
)

declare -A WHY=(
  [build-essential]="gcc, make and the C library headers"
  [cmake]="the build system (presets need 3.25)"
  [pkg-config]="CMake finds the libraries below through it"
  [git]="source control"
  [libutf8proc-dev]="Unicode normalisation of report text"
  [nettle-dev]="SHA-256 of each source file"
  [libjansson-dev]="a JSON parser, to check the JSON gongkai writes"
  [clang]="the second compiler (make check) and the fuzz targets"
  [libclang-rt-14-dev]="clang's sanitizer and libFuzzer runtimes"
  [clang-format]="make format, make format-check"
  [clang-tidy]="make tidy"
  [libxml2-dev]="HTML pages and the XML inside DOCX"
  [libzip-dev]="DOCX files are ZIP archives (read and written)"
  [libmupdf-dev]="PDF text with positions (MuPDF 1.21)"
  [libmujs-dev]="static libmupdf.a needs it at link time (PDF JavaScript)"
  [libgumbo-dev]="static libmupdf.a needs it at link time (its HTML parser)"
  [libopenjp2-7-dev]="static libmupdf.a needs it at link time (JPEG 2000)"
  [libjbig2dec0-dev]="static libmupdf.a needs it at link time (JBIG2 scans)"
  [libharfbuzz-dev]="static libmupdf.a needs it at link time (text shaping)"
  [libjpeg-dev]="static libmupdf.a needs it at link time (JPEG images)"
  [libfreetype-dev]="static libmupdf.a needs it at link time (fonts)"
  [libpng-dev]="libfreetype's static link needs it"
  [libbrotli-dev]="libfreetype's static link needs it"
  [zlib1g-dev]="static libmupdf.a needs it at link time (Flate streams)"
  [mupdf-tools]="mutool, the baseline of the PDF benchmark"
  [libxlsxwriter-dev]="gongkai table --xlsx"
  [libsqlite3-dev]="gongkai serve: the embedded database (src/store)"
  [libpq-dev]="gongkai serve --db postgresql://...: the shared database"
  [postgresql]="the store and server tests start a throw-away PostgreSQL"
  [libmicrohttpd-dev]="gongkai serve: the HTTP server (src/server)"
  [libcurl4-openssl-dev]="gongkai serve imports reports from a list of URLs (http/https)"
  [libargon2-dev]="gongkai serve: Argon2id password hashes (src/server/auth.c)"
  [openssl]="the session test makes a throw-away TLS certificate for --tls-cert"
  [chromium]="the browser tests drive the pages in headless Chromium"
  [chromium-driver]="WebDriver for Chromium, used by the browser tests"
  [python3-selenium]="the browser tests are Python with Selenium"
  [fonts-noto-cjk]="Chinese glyphs in the browser tests' screenshots and in the PDFs LibreOffice makes for the zoo"
  [python3]="/usr/bin/python3 runs the layout zoo (tests/zoo, standard library only)"
  [poppler-utils]="pdftotext, with and without -layout, for the layout zoo (make zoo)"
  [libreoffice-writer-nogui]="DOCX to PDF for the layout zoo (make zoo)"
  [pandoc]="Markdown as a converter writes it from our DOCX, for the layout zoo (skipped without it)"
)

PKGS+=("$@")

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian system; make sure these are installed:" \
    "${PKGS[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${PKGS[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "deps: all ${#PKGS[@]} packages present"
  exit 0
fi

echo "deps: installing ${#missing[@]} missing package(s):"
for pkg in "${missing[@]}"; do
  echo "  $pkg - ${WHY[$pkg]:-needed by gongkai}"
done

apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
if ((EUID != 0)); then
  # sudo only if it can run without a password or can ask for one.
  if command -v sudo >/dev/null 2>&1 &&
    { [[ -t 0 ]] || sudo -n true 2>/dev/null; }; then
    apt=(sudo "${apt[@]}")
  else
    echo "deps: not root and no sudo; run this as root:" >&2
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install" \
      "-y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

"${apt[@]}" update
"${apt[@]}" install -y --no-install-recommends "${missing[@]}"
echo "deps: installed ${missing[*]}"
