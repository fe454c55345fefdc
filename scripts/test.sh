#!/usr/bin/env bash
#
# scripts/test.sh - the one command that runs every devk8s test, on a laptop or in CI.
#
#   bash scripts/test.sh                 # all tests: unit (surefire) + integration (failsafe)
#   bash scripts/test.sh -Dit.test=X     # extra arguments go to `mvn verify`
#   bash scripts/test.sh --help          # this text
#   bash scripts/test.sh --with-engine CMD ARGS...
#                                        # steps 1-3 and 6 only: run CMD (e.g. mvn -o verify -Dit.test=X)
#                                        # with the engine up and the DEVK8S_TEST_DOCKER_* variables set
#
# What it does, in order (any failing step stops the script and names the step):
#   1. installs what the tests need when it is missing (Debian/Ubuntu, as root or through sudo), with apt-get:
#      docker.io, busybox-static, docker-registry (the push tests start their own registries), openssl,
#      curl, kubernetes-client (only when no kubectl is on the PATH; its 1.20 is old but works against the
#      mock API server), golang-go (only when there is no go: the Go
#      example is built and tested offline), golang-google-grpc-dev (only when /usr/share/gocode lacks grpc:
#      the grpc-greeter example builds offline against it), git (only when there is none), openjdk-17-jdk-headless
#      (only when there is no JDK), maven (only when there is no mvn), and zsh and bash-completion (the completion
#      scripts are tested in both shells), python3-minimal (only when there is no /usr/bin/python3: the launcher's
#      client of the background process is tested with it). While it installs, a temporary
#      /usr/sbin/policy-rc.d (made only when none exists, removed afterwards) keeps the packages from
#      starting system services: the system's docker.service and containerd.service are installed as
#      Debian sets them up, but not started
#   2. checks Java 17+ and Maven 3.8+
#   3. starts a private Docker engine in a temporary folder: a unix socket, plus a TLS listener on
#      127.0.0.1 with certificates made the way Minikube makes them (ca.pem, cert.pem, key.pem, the
#      client key in PKCS#1 form); images built by the tests live and die with it
#   4. runs `mvn -B verify` with DEVK8S_TEST_DOCKER_HOST, DEVK8S_TEST_DOCKER_TLS_HOST and
#      DEVK8S_TEST_DOCKER_CERT_PATH pointing at that engine (tests tagged "docker" fail without them)
#   5. installs the freshly built jar with ./install.sh into a temporary prefix and runs `devk8s --version`
#   6. stops the engine and deletes the temporary folder, whatever happened
#
# Nothing outside the temporary folder is touched, except the packages of step 1 (no system service is started).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STEP="start-up"
WORK=""
DOCKERD_PID=""
SUDO=""   # "" when root, "sudo" when sudo works without a password, "none" otherwise
as_root() { if [ "$SUDO" = "sudo" ]; then sudo -n "$@"; else "$@"; fi; }
STARTED_AT=$SECONDS
POLICY_RC_D=""   # set while this script's own /usr/sbin/policy-rc.d exists
APT_UPDATED=""
WITH_ENGINE=()
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
    exit 0
fi
if [ "${1:-}" = "--with-engine" ]; then
    shift
    [ "$#" -gt 0 ] || { echo "usage: scripts/test.sh --with-engine COMMAND [ARGS...]" >&2; exit 2; }
    WITH_ENGINE=("$@")
    set --
fi

say() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'test.sh: step "%s" failed: %s\n' "$STEP" "$*" >&2; exit 1; }
step() { STEP="$1"; say "$1"; }

# Debian's maintainer scripts ask /usr/sbin/policy-rc.d before they start a service; exit code 101 means "not
# now". Ours exists only while apt-get install runs, and only when the system has none of its own.
block_service_start() {
    local policy=/usr/sbin/policy-rc.d
    if [ -e "$policy" ] || [ -L "$policy" ]; then
        return 0
    fi
    as_root sh -c 'set -C; printf "#!/bin/sh\n# made by devk8s scripts/test.sh while it installs packages; removed after\nexit 101\n" >"$1" && chmod 755 "$1"' \
        sh "$policy" || die "cannot create $policy to keep the packages from starting system services"
    POLICY_RC_D="$policy"
}
remove_policy_rc_d() {
    if [ -n "$POLICY_RC_D" ]; then
        as_root rm -f "$POLICY_RC_D" || echo "test.sh: could not remove $POLICY_RC_D; delete it by hand" >&2
        POLICY_RC_D=""
    fi
}
apt_update() {
    if [ -z "$APT_UPDATED" ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed (output above)"
        APT_UPDATED=yes
    fi
}

on_error() {
    local code=$?
    printf 'test.sh: step "%s" failed (exit code %s)\n' "$STEP" "$code" >&2
}
trap on_error ERR

cleanup() {
    local code=$?
    trap - ERR
    remove_policy_rc_d
    if [ -n "$DOCKERD_PID" ] && as_root kill -0 "$DOCKERD_PID" 2>/dev/null; then
        as_root kill -TERM "$DOCKERD_PID" 2>/dev/null || true
        for _ in $(seq 1 150); do
            as_root kill -0 "$DOCKERD_PID" 2>/dev/null || break
            sleep 0.1
        done
        if as_root kill -0 "$DOCKERD_PID" 2>/dev/null; then
            echo "test.sh: the Docker engine did not stop in 15 s; killing it" >&2
            as_root kill -KILL "$DOCKERD_PID" 2>/dev/null || true
            sleep 0.5
        fi
    fi
    if [ -n "$WORK" ] && [ -d "$WORK" ]; then
        # a killed engine can leave mounts behind; unmount ours (deepest first) before deleting
        local mounts
        mounts="$(awk -v w="$WORK" 'index($2, w"/") == 1 { print $2 }' /proc/mounts 2>/dev/null | sort -r || true)"
        if [ -n "$mounts" ]; then
            while IFS= read -r m; do as_root umount -l "$m" 2>/dev/null || true; done <<<"$mounts"
        fi
        as_root rm -rf "$WORK" 2>/dev/null || echo "test.sh: could not delete $WORK completely" >&2
    fi
    if [ "$code" -eq 0 ] && [ "${#WITH_ENGINE[@]}" -eq 0 ]; then
        say "all tests passed in $((SECONDS - STARTED_AT)) s"
    fi
    exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
step "install test prerequisites"

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo"
    else
        SUDO="none"
    fi
fi

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
if ! [ -x /bin/busybox ] || { command -v dpkg-query >/dev/null 2>&1 \
        && ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; }; then
    missing+=(busybox-static)
fi
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)   # a real registry for the push tests
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# kubectl: the tests run the real one against the mock API server; Debian's package only when none is here
has_kubectl_package() { apt-cache policy kubernetes-client 2>/dev/null | grep -q 'Candidate: [^(]'; }
if ! command -v kubectl >/dev/null 2>&1; then
    if [ "$SUDO" != "none" ] && command -v apt-get >/dev/null 2>&1 && ! has_kubectl_package; then
        apt_update
        has_kubectl_package || die "kubectl is missing and this distribution has no kubernetes-client package; install kubectl (https://kubernetes.io/docs/tasks/tools/) and run again"
    fi
    missing+=(kubernetes-client)
fi
command -v go >/dev/null 2>&1 || missing+=(golang-go)
# the grpc-greeter example builds in GOPATH mode against Debian's grpc-go (and the protobuf it pulls in)
[ -d /usr/share/gocode/src/google.golang.org/grpc ] || missing+=(golang-google-grpc-dev)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v javac >/dev/null 2>&1 || [ -x "${JAVA_HOME:-/nonexistent}/bin/javac" ] || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
# the launcher's Python client of the background process (its tests run the real interpreter)
[ -x /usr/bin/python3 ] || missing+=(python3-minimal)

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$SUDO" = "none" ]; then
        die "missing ${missing[*]}; run as root or with sudo, or install them: apt-get install -y ${missing[*]}"
    fi
    command -v apt-get >/dev/null 2>&1 \
        || die "missing ${missing[*]} and no apt-get here; install them with your package manager"
    echo "installing: ${missing[*]}" >&2
    apt_update
    block_service_start
    as_root env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed (output above)"
    remove_policy_rc_d
else
    echo "docker.io, busybox-static, docker-registry, openssl, curl, kubectl, go, git, JDK, Maven, zsh, bash-completion and python3 are present" >&2
fi

# ---------------------------------------------------------------------------------------------
step "check Java 17+ and Maven 3.8+"

JAVA="java"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; fi
java_version_line="$("$JAVA" -version 2>&1 | head -n 1)" || die "cannot run java"
if [[ "$java_version_line" =~ version\ \"([0-9]+)(\.([0-9]+))? ]]; then
    java_major="${BASH_REMATCH[1]}"
    [ "$java_major" = "1" ] && java_major="${BASH_REMATCH[3]}"
else
    die "cannot read the Java version from: $java_version_line"
fi
[ "$java_major" -ge 17 ] || die "Java $java_major found, the build needs 17+ (apt-get install openjdk-17-jdk-headless, or set JAVA_HOME)"
mvn_version="$(mvn -B -v 2>/dev/null | sed -n 's/.*Apache Maven \([0-9][0-9.]*\).*/\1/p' | head -n 1)"
[ -n "$mvn_version" ] || die "cannot run mvn -v"
IFS=. read -r mvn_major mvn_minor _ <<<"$mvn_version"
if [ "$mvn_major" -lt 3 ] || { [ "$mvn_major" -eq 3 ] && [ "${mvn_minor:-0}" -lt 8 ]; }; then
    die "Maven $mvn_version found, the build needs 3.8+"
fi
echo "Java $java_major ($JAVA), Maven $mvn_version" >&2

# ---------------------------------------------------------------------------------------------
step "start a private Docker engine (unix socket + TLS like Minikube)"

[ "$(id -u)" -eq 0 ] || [ "$SUDO" = "sudo" ] \
    || die "starting a Docker engine needs root; run: sudo bash scripts/test.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/devk8s-test.XXXXXX")"
chmod 755 "$WORK"
CERTS="$WORK/certs"      # what a client gets, like ~/.minikube/certs
SERVER="$WORK/server"    # the engine's side, like ~/.minikube/machines
mkdir -p "$CERTS" "$SERVER"

# CA, server certificate (SAN 127.0.0.1 + localhost) and client certificate; keys in PKCS#1 like minikube's
rsa_key() {
    openssl genrsa -out "$1" 2048 2>/dev/null
    if ! head -n 1 "$1" | grep -q 'BEGIN RSA PRIVATE KEY'; then
        openssl rsa -in "$1" -out "$1.tmp" -traditional 2>/dev/null && mv "$1.tmp" "$1"
    fi
    chmod 600 "$1"
}
rsa_key "$CERTS/ca-key.pem"
openssl req -x509 -new -sha256 -days 2 -key "$CERTS/ca-key.pem" -out "$CERTS/ca.pem" -subj "/CN=devk8sTestCA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyCertSign,cRLSign" \
    2>/dev/null
rsa_key "$SERVER/server-key.pem"
openssl req -new -sha256 -key "$SERVER/server-key.pem" -subj "/O=devk8s.test" -out "$SERVER/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' \
    >"$SERVER/server.ext"
openssl x509 -req -sha256 -days 2 -in "$SERVER/server.csr" -CA "$CERTS/ca.pem" -CAkey "$CERTS/ca-key.pem" \
    -CAcreateserial -extfile "$SERVER/server.ext" -out "$SERVER/server.pem" 2>/dev/null
rsa_key "$CERTS/key.pem"
openssl req -new -sha256 -key "$CERTS/key.pem" -subj "/O=devk8s.test.client" -out "$CERTS/cert.csr" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$CERTS/cert.ext"
openssl x509 -req -sha256 -days 2 -in "$CERTS/cert.csr" -CA "$CERTS/ca.pem" -CAkey "$CERTS/ca-key.pem" \
    -CAcreateserial -extfile "$CERTS/cert.ext" -out "$CERTS/cert.pem" 2>/dev/null
rm -f "$CERTS"/*.csr "$CERTS"/*.ext "$CERTS"/*.srl "$SERVER"/*.csr "$SERVER"/*.ext

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
SOCK="$WORK/docker.sock"
DOCKERD=("$(command -v dockerd)")
if [ "$SUDO" = "sudo" ]; then DOCKERD=(sudo -n "${DOCKERD[0]}"); fi
TLS_PORT=""
ready=""
# 2376 like Minikube when it is free, else a random port; another run may grab the port between the check
# and dockerd's bind, so a start that fails with "address already in use" moves on to the next port
for candidate in 2376 $((20000 + RANDOM % 20000)) $((40000 + RANDOM % 20000)) $((20000 + RANDOM % 40000)); do
    if port_in_use "$candidate"; then continue; fi
    TLS_PORT="$candidate"
    # started directly (not through a function) so that $! is the engine itself, which the EXIT trap stops
    "${DOCKERD[@]}" \
        --data-root "$WORK/data" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid" \
        -H "unix://$SOCK" -H "tcp://127.0.0.1:$TLS_PORT" \
        --tlsverify --tlscacert "$CERTS/ca.pem" --tlscert "$SERVER/server.pem" --tlskey "$SERVER/server-key.pem" \
        --iptables=false --ip-masq=false --bridge=none \
        >"$WORK/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    for _ in $(seq 1 300); do
        if ! as_root kill -0 "$DOCKERD_PID" 2>/dev/null; then
            wait "$DOCKERD_PID" 2>/dev/null || true
            DOCKERD_PID=""
            break
        fi
        if curl -fsS --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1 \
            && curl -fsS --max-time 2 --cacert "$CERTS/ca.pem" --cert "$CERTS/cert.pem" --key "$CERTS/key.pem" \
                "https://127.0.0.1:$TLS_PORT/_ping" >/dev/null 2>&1; then
            ready=yes
            break
        fi
        sleep 0.1
    done
    [ -z "$ready" ] || break
    if [ -n "$DOCKERD_PID" ]; then
        tail -n 20 "$WORK/dockerd.log" >&2
        die "the Docker engine did not answer /_ping on $SOCK and 127.0.0.1:$TLS_PORT within 30 s (log above)"
    fi
    if ! grep -q 'address already in use' "$WORK/dockerd.log"; then
        tail -n 20 "$WORK/dockerd.log" >&2
        die "dockerd exited during start-up (log above)"
    fi
    echo "port $TLS_PORT was taken meanwhile; trying another" >&2
done
[ -n "$ready" ] || die "no free TCP port for the TLS listener"
if [ "$SUDO" = "sudo" ]; then sudo -n chmod 666 "$SOCK"; fi

export DEVK8S_TEST_DOCKER_HOST="unix://$SOCK"
export DEVK8S_TEST_DOCKER_TLS_HOST="tcp://127.0.0.1:$TLS_PORT"
export DEVK8S_TEST_DOCKER_CERT_PATH="$CERTS"
echo "engine up: $DEVK8S_TEST_DOCKER_HOST and $DEVK8S_TEST_DOCKER_TLS_HOST (certificates in $CERTS)" >&2

if [ "${#WITH_ENGINE[@]}" -gt 0 ]; then
    step "${WITH_ENGINE[*]}"
    cd "$ROOT"
    "${WITH_ENGINE[@]}"
    exit 0
fi

# ---------------------------------------------------------------------------------------------
step "mvn -B verify (unit and integration tests)"
cd "$ROOT"
mvn -B -ntp verify "$@"

# ---------------------------------------------------------------------------------------------
step "smoke-install with ./install.sh and run devk8s --version"
[ -f "$ROOT/target/devk8s.jar" ] || die "target/devk8s.jar was not built"
"$ROOT/install.sh" --prefix "$WORK/prefix" --jar "$ROOT/target/devk8s.jar"
version_out="$(env -u DEVK8S_JAVA_OPTS "$WORK/prefix/bin/devk8s" --version)"
echo "$version_out"
[[ "$version_out" == devk8s\ * ]] || die "devk8s --version printed: $version_out"
