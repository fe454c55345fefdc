#!/usr/bin/env bash
#
# bench/dev.sh - how long `devk8s dev` takes from a file save to the new pod spec on the API server: the median
# over SAVES saves of the time from writing a source file to the Deployment's image changing.
#
#   bash scripts/test.sh --with-engine bash bench/dev.sh [SAVES]     (default 7 saves; about 2 minutes)
#
# What runs: scripts/mock-cluster.sh (fabric8's mock API server, the tests' one, and the minikube stand-in), a
# real Docker engine in place of Minikube's (scripts/test.sh --with-engine starts a private one and sets the
# DEVK8S_TEST_DOCKER_* variables this script reads), and `devk8s dev` on a small project in a temp folder: a host
# build command (cp), an image FROM a local busybox base, one Deployment. Each save changes the app's source; the
# figure covers the debounce (300 ms of quiet), the build command, the image build, the server-side apply and the
# simulated rollout. The Deployment is read from the mock every 20 ms, so figures are accurate to about that.
#
# Needs: Maven and a JDK, curl, setsid, docker (the CLI), busybox (/bin/busybox); target/devk8s.jar (mvn package) unless $DEVK8S is
# set or devk8s is on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SAVES="${1:-7}"
[[ "$SAVES" =~ ^[1-9][0-9]*$ ]] || { echo "bench/dev.sh: SAVES must be a positive number, got: $SAVES" >&2; exit 2; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
find_devk8s bench/dev.sh
for v in DEVK8S_TEST_DOCKER_HOST DEVK8S_TEST_DOCKER_TLS_HOST DEVK8S_TEST_DOCKER_CERT_PATH; do
    [ -n "${!v:-}" ] || { echo "bench/dev.sh: $v is not set; run it as: bash scripts/test.sh --with-engine bash bench/dev.sh" >&2; exit 2; }
done
for c in curl setsid docker; do
    command -v "$c" >/dev/null 2>&1 || { echo "bench/dev.sh: $c is needed" >&2; exit 2; }
done
[ -x /bin/busybox ] || { echo "bench/dev.sh: /bin/busybox is needed for the base image (busybox-static)" >&2; exit 2; }

DEV_PID=""
BASE="devk8s-bench/busybox-base:$$"
bench_cleanup() {   # run by start_mock's exit trap before it stops the mock
    if [ -n "$DEV_PID" ]; then
        kill -INT "$DEV_PID" 2>/dev/null || true
        wait "$DEV_PID" 2>/dev/null || true
    fi
    DOCKER_HOST="$DEVK8S_TEST_DOCKER_HOST" docker rmi -f "$BASE" >/dev/null 2>&1 || true
}

# ------------------------------------------------------------------------------------------------ the mock
start_mock bench/dev.sh   # sets tmp (removed on exit), URL, HOME under it; stops the mock on exit
# the minikube stand-in's docker-env names the engine's TLS port and $HOME/.minikube/certs
mkdir -p "$HOME/.minikube/certs"
cp "$DEVK8S_TEST_DOCKER_CERT_PATH"/{ca,cert,key}.pem "$HOME/.minikube/certs/"
export FIXTURE_MINIKUBE_DRIVER=docker FIXTURE_MINIKUBE_DOCKER_PORT="${DEVK8S_TEST_DOCKER_TLS_HOST##*:}"

# ------------------------------------------------------------------------------------------------ the project
mkdir -p "$tmp/base" "$tmp/shop/src" "$tmp/shop/deploy"
cp /bin/busybox "$tmp/base/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\n' >"$tmp/base/Dockerfile"
DOCKER_HOST="$DEVK8S_TEST_DOCKER_HOST" docker build -q -t "$BASE" "$tmp/base" >/dev/null
cd "$tmp/shop"
cat >devk8s.yaml <<'YAML'
project: bench
apps:
  - name: web
    image: devk8s-bench-web
    build:
      command: mkdir -p out && cp src/app.sh out/app.sh
      inputs: ["src/**"]
    manifests: [deploy/*.yaml]
YAML
printf 'ARG BASE\nFROM ${BASE}\nCOPY out/app.sh /app.sh\nCMD ["/bin/busybox", "sh", "/app.sh"]\n' >Dockerfile
printf '*\n!out/app.sh\n' >.dockerignore
echo 'echo v0' >src/app.sh
cat >deploy/deployment.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: "${APP}", namespace: "${NAMESPACE}"}
spec:
  replicas: 1
  selector: {matchLabels: {app: "${APP}"}}
  template:
    metadata: {labels: {app: "${APP}"}}
    spec:
      containers:
        - {name: "${APP}", image: "${IMAGE}", imagePullPolicy: IfNotPresent}
YAML

image() {   # the image of the Deployment on the mock, or nothing
    curl -fsS "$URL/apis/apps/v1/namespaces/default/deployments/web" 2>/dev/null \
        | sed -n 's/.*"image" *: *"\([^"]*\)".*/\1/p' | head -n 1
}

# ------------------------------------------------------------------------------------------------ measuring
echo "starting devk8s dev ..." >&2
# with job control on, the background command keeps SIGINT (a script's background commands ignore it otherwise),
# so it can be stopped the way Ctrl-C stops it
set -m
# shellcheck disable=SC2086
$DEVK8S dev --no-hosts --timeout 30s --build-arg "BASE=$BASE" >"$tmp/dev.out" 2>"$tmp/dev.err" &
DEV_PID=$!
set +m
for _ in $(seq 1 1200); do
    grep -q "for changes; Ctrl-C to stop" "$tmp/dev.err" && break
    kill -0 "$DEV_PID" 2>/dev/null || { cat "$tmp/dev.err" >&2; echo "bench/dev.sh: devk8s dev ended (output above)" >&2; exit 1; }
    sleep 0.1
done
grep -q "for changes; Ctrl-C to stop" "$tmp/dev.err" || { cat "$tmp/dev.err" >&2; echo "bench/dev.sh: devk8s dev did not start watching within 2 minutes" >&2; exit 1; }

MS=()
for i in $(seq 0 "$SAVES"); do   # save 0 is a warm-up
    before="$(image)"
    sleep 1
    echo "echo v$((i + 1))" >src/app.sh
    start=$(date +%s%N)
    now="$before"
    for _ in $(seq 1 3000); do
        now="$(image)"
        [ "$now" != "$before" ] && break
        sleep 0.02
    done
    end=$(date +%s%N)
    [ "$now" != "$before" ] || { cat "$tmp/dev.err" >&2; echo "bench/dev.sh: save $i: the Deployment's image did not change within a minute" >&2; exit 1; }
    if [ "$i" -gt 0 ]; then
        MS+=("$(( (end - start) / 1000000 ))")
        echo "save $i/$SAVES: $(( (end - start) / 1000000 )) ms ($now)" >&2
    fi
done

kill -INT "$DEV_PID"
code=0
wait "$DEV_PID" || code=$?
DEV_PID=""
[ "$code" -eq 0 ] || { cat "$tmp/dev.err" >&2; echo "bench/dev.sh: devk8s dev exited $code after Ctrl-C, not 0" >&2; exit 1; }
rounds="$(grep -c ' changed -> ' "$tmp/dev.err" || true)"

median="$(printf '%s\n' "${MS[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
range="$(printf '%s\n' "${MS[@]}" | sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {print lo "-" hi}')"
echo "save -> new pod spec applied: median $median ms over $SAVES saves (range $range ms; $rounds rounds for $((SAVES + 1)) saves; 300 ms of it is the debounce)"
echo "(devk8s = $DEVK8S; mock API server at $URL; Docker engine at $DEVK8S_TEST_DOCKER_TLS_HOST)"
