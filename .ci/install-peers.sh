#!/usr/bin/env bash
# Installs the real test peers of TESTING.md on Debian 12. Idempotent: on a machine that already
# has them it touches no package index and takes well under a second. .ci/run calls it.
set -euo pipefail

PACKAGES=(
  simplesamlphp php-cli php-xml php-mbstring php-curl php-intl  # SimpleSAMLphp ECP IdP under php -S
  openssl                                                       # the IdP's throwaway signing key
  gnome-keyring dbus dbus-x11 libsecret-tools                   # Secret Service on a private session bus
  awscli                                                        # AWS CLI v2 at /usr/bin/aws
  hyperfine time                                                # timings, peak memory (doctor's test)
  python3                                                       # npm run bench: CPU time and peak RSS of each run (wait4)
  bsdutils                                                      # script(1): a pseudo-terminal for prompt tests
  xmlsec1                                                       # libxmlsec: encrypts test assertions for the AWS SP, verifies the bytes sent to STS
  chromium                                                      # the browser provider's real browser (driven over DevTools)
  zsh                                                           # shell completion, driven in a real zsh (zsh/zpty)
)
# The version whose behaviour TESTING.md records (AssumeRoleWithSAML limits).
MOTO_REQUIREMENT='moto[server]==5.2.1'
MOTO_VENV=${AWSL_MOTO_VENV:-/opt/awsl-moto}

SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi

log() { printf 'install-peers: %s\n' "$*" >&2; }

missing_packages() {
  local package
  for package in "$@"; do
    if [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null) != 'ii ' ]]; then
      printf '%s\n' "$package"
    fi
  done
}

apt_install() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  if [[ ${#missing[@]} -eq 0 ]]; then return 0; fi
  log "installing ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_moto() {
  if command -v moto_server >/dev/null 2>&1; then return 0; fi
  log "moto_server not on PATH; installing $MOTO_REQUIREMENT"
  # A pip of its own (pyenv, virtualenv) first; Debian's system Python refuses pip installs (PEP 668).
  local own_pip
  own_pip=$(pip --version 2>/dev/null || true)
  if [[ -n $own_pip && $own_pip != *' /usr/lib/python3/'* ]] && pip install --quiet "$MOTO_REQUIREMENT"; then
    hash -r
  else
    apt_install python3-venv
    "${SUDO[@]}" python3 -m venv "$MOTO_VENV"
    "${SUDO[@]}" "$MOTO_VENV/bin/pip" install --quiet "$MOTO_REQUIREMENT"
    "${SUDO[@]}" ln -sf "$MOTO_VENV/bin/moto_server" /usr/local/bin/moto_server
    hash -r
  fi
  command -v moto_server >/dev/null 2>&1 || { log 'moto_server is still not on PATH'; exit 1; }
}

apt_install "${PACKAGES[@]}"
ensure_moto

# Fail here, not in the middle of the suite, if a peer is still not runnable.
for tool in /usr/bin/php /usr/share/simplesamlphp/www/saml2/idp/SSOService.php /usr/bin/openssl \
  /usr/bin/dbus-daemon /usr/bin/dbus-send /usr/bin/gnome-keyring-daemon /usr/bin/secret-tool /usr/bin/aws /usr/bin/xmlsec1 /usr/bin/chromium /usr/bin/zsh; do
  [[ -e $tool ]] || { log "missing after install: $tool"; exit 1; }
done
aws_version=$(/usr/bin/aws --version)
[[ $aws_version == aws-cli/2.* ]] || { log "/usr/bin/aws is not AWS CLI v2: $aws_version"; exit 1; }
log "peers ready (${aws_version%% *}, $(/usr/bin/php -r 'echo "php/", PHP_VERSION;'), moto_server at $(command -v moto_server))"
