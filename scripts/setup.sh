#!/usr/bin/env bash
# Set up Compact Tracker on this machine. Safe to run again: each step only does what is missing.
#
#   scripts/setup.sh deps   system libraries for PDFs (Pango, Arabic-capable fonts) + the virtualenv
#   scripts/setup.sh test   deps, plus Chromium's headless shell (Debian's) for the browser tests
#   scripts/setup.sh all    deps, then migrate the database and load reference and demo data
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-all}"
PYTHON="${PYTHON:-python3}"
VENV=".venv"
SYSTEM_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk fonts-dejavu-core)
# gettext: the suite refreshes a copy of the catalogues as `make messages` does (msgmerge).
[ "$MODE" = "test" ] && SYSTEM_PACKAGES+=(chromium-headless-shell gettext)

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

check_python() {
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Compact Tracker needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
        exit 1
    fi
}

missing_system_packages() {
    local missing=()
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    echo "${missing[@]:-}"
}

install_system_packages() {
    command -v dpkg-query >/dev/null || { say "Not a Debian system: install Pango and Noto fonts yourself (docs/operations.md)."; return; }
    local missing
    missing="$(missing_system_packages)"
    [ -z "$missing" ] && return
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then sudo="sudo"; else
            echo "Missing system packages: $missing. Install them as root: apt-get install $missing" >&2
            exit 1
        fi
    fi
    say "Installing system packages: $missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

install_python_packages() {
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtual environment in $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    # Reinstall only when the requirement files changed since the last install.
    local stamp="$VENV/.requirements.sha256" digest
    digest="$(cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
        say "Installing Python packages (pinned in requirements*.txt and constraints.txt)"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -r requirements-dev.txt -c constraints.txt
        echo "$digest" > "$stamp"
    fi
}

ensure_env_file() {
    # Local runs of manage.py (shell, makemigrations, ...) use the embedded development mode.
    # Production sets its variables in the real environment, which always wins over .env.
    if [ ! -f .env ]; then
        {
            printf '# Local development settings, written by scripts/setup.sh (see docs/operations.md).\nDEBUG=1\n'
            printf '# A placeholder to try the IATI export locally; production sets the real identifier (docs/iati.md).\n'
            printf 'IATI_REPORTING_ORG_REF=XX-LOCAL-DEVELOPMENT\n'
        } > .env
        say "Wrote .env (DEBUG=1) for local development"
    fi
}

prepare_data() {
    say "Migrating the database"
    "$VENV/bin/python" manage.py migrate --no-input -v0
    say "Loading the Compact's reference roster"
    "$VENV/bin/python" manage.py load_reference
    say "Creating demo accounts"
    "$VENV/bin/python" manage.py load_demo
}

check_python
install_system_packages
install_python_packages
ensure_env_file
[ "$MODE" = "all" ] && prepare_data
exit 0
