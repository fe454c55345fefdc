#!/usr/bin/env bash
#
# bench/deploy.sh - devk8s deploy next to the hand-made flow it replaces, on the same Docker engine and the same
# mock API server, measured in one run with hyperfine.
#
#   bench/deploy.sh [RUNS]              (default 7 runs per case; 10 to 20 minutes with the large context)
#   BENCH_BIG=0 bench/deploy.sh 3       (the helloworld cases only)
#   BENCH_BIG_FILES=2000 BENCH_BIG_MB=50 bench/deploy.sh 3     (a smaller large context first)
#   BENCH_ALTERNATE=20 BENCH_BIG=0 bench/deploy.sh 7   (and (b) in 20 alternating rounds, see below)
#   DEVK8S=~/.local/bin/devk8s bench/deploy.sh    (which devk8s: $DEVK8S, else devk8s on PATH, else target/devk8s.jar)
#
# The engine: run outside scripts/test.sh, the script restarts itself under `scripts/test.sh --with-engine`, which
# starts a private dockerd with a TLS listener and certificates like Minikube's (needs root or sudo). The cluster:
# scripts/mock-cluster.sh (fabric8's mock API server with server-side apply and a Deployment controller that marks
# Deployments available at once) and the minikube stand-in, whose docker-env names that engine. No real cluster runs,
# so the figures compare client work and the image builds, not a real apiserver's latency or a kubelet.
#
# Cases, on examples/helloworld copied to a temp folder (a git repository tagged v0.1.0):
#   devk8s       devk8s deploy helloworld --no-hosts --build-arg BASE=<busybox base>   (waits for the rollout)
#   hand flow    go build -ldflags "-X=main.version=${VERSION}-${DATE}" ...  (VERSION from git describe --dirty)
#                docker build -t helloworld:$VERSION --build-arg BASE=... .  (the docker CLI, DOCKER_BUILDKIT=0: the
#                                                                             classic builder, as devk8s's API build)
#                cat deployment/*.yaml | envsubst | kubectl apply --server-side --validate=false -f -
#   (a) unchanged   nothing changed between runs
#   (b) changed     a one-line change to cmd/helloworld/main.go before every run (hyperfine --prepare); with
#                   BENCH_ALTERNATE=N, also N rounds of devk8s and the hand flow in turn, a change before each (a noisy
#                   machine's slow minutes then fall on both; hyperfine runs all of one command first)
# Targets: (a) devk8s <= 0.5 x the hand flow, (b) <= 1.0 x.
# devk8s runs as installed, through its background process (the warm-up run starts it; see `devk8s daemon --help`),
# and once more with DEVK8S_DAEMON=0, a JVM of its own for every deploy: both figures are printed.
#
# Large context (BENCH_BIG=1, default): BENCH_BIG_FILES files (default 20000) of BENCH_BIG_MB MB in all (default 500),
# BENCH_BIG_IGNORED_PCT percent of them (default 80) in a folder .dockerignore excludes; the Dockerfile copies the
# rest. Measured: `devk8s deploy big --no-hosts --no-wait` against `docker build` (CLI, classic builder) of the same
# folder, the image removed before every run (BENCH_BIG_RUNS runs, default 3); devk8s's peak RSS from
# /usr/bin/time -v (target <= 256 MB); and that devk8s writes no temporary file (TMPDIR and java.io.tmpdir point at
# an empty folder that must stay empty).
#
# Needs: root or sudo (the engine), hyperfine, go, kubectl, envsubst, git, curl, setsid, /usr/bin/time, the docker
# CLI, Maven and a JDK (the mock); target/devk8s.jar (mvn package) unless $DEVK8S is set or devk8s is on PATH.
# Machines are noisy: compare ratios from one run, not across runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
RUNS="${1:-7}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "bench/deploy.sh: RUNS must be a positive number, got: $RUNS" >&2; exit 2; }
BIG="${BENCH_BIG:-1}"
BIG_FILES="${BENCH_BIG_FILES:-20000}"
BIG_MB="${BENCH_BIG_MB:-500}"
BIG_PCT="${BENCH_BIG_IGNORED_PCT:-80}"
BIG_RUNS="${BENCH_BIG_RUNS:-3}"
ALTERNATE="${BENCH_ALTERNATE:-0}"
for n in BIG_FILES BIG_MB BIG_PCT BIG_RUNS ALTERNATE; do
    [[ "${!n}" =~ ^[0-9]+$ ]] || { echo "bench/deploy.sh: BENCH_$n must be a number, got: ${!n}" >&2; exit 2; }
done

if [ -z "${DEVK8S_TEST_DOCKER_TLS_HOST:-}" ]; then
    exec bash scripts/test.sh --with-engine bash "$ROOT/bench/deploy.sh" "$@"
fi

# shellcheck source=bench/lib.sh
. bench/lib.sh
find_devk8s bench/deploy.sh
for tool in hyperfine go kubectl envsubst git curl setsid docker; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench/deploy.sh: $tool is needed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench/deploy.sh: /usr/bin/time (package time) is needed for the peak RSS" >&2; exit 2; }

start_mock bench/deploy.sh   # sets tmp (removed on exit) and HOME under it, stops the mock on exit
export HOME="$tmp/home"   # kubectl's discovery cache, Go's build cache and minikube's certificates, all fresh
mkdir -p "$HOME/.minikube/certs"
cp "$DEVK8S_TEST_DOCKER_CERT_PATH"/{ca,cert,key}.pem "$HOME/.minikube/certs/"
unset MINIKUBE_PROFILE MINIKUBE_HOME DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_CONTEXT
# the minikube stand-in's docker-env: the engine's TLS listener, like a Minikube with the docker driver
export FIXTURE_MINIKUBE_DRIVER=docker FIXTURE_MINIKUBE_DOCKER_PORT="${DEVK8S_TEST_DOCKER_TLS_HOST##*:}"
export GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off GOFLAGS=
ENGINE=(env DOCKER_HOST="$DEVK8S_TEST_DOCKER_TLS_HOST" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$HOME/.minikube/certs"
    DOCKER_BUILDKIT=0)

# ------------------------------------------------------------------------------------------------ helloworld
base="bench/busybox-base:1"
mkdir -p "$tmp/base"
cp /bin/busybox "$tmp/base/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\n' >"$tmp/base/Dockerfile"
"${ENGINE[@]}" docker build -q -t "$base" "$tmp/base" >/dev/null 2>"$tmp/base.err" \
    || { cat "$tmp/base.err" >&2; echo "bench/deploy.sh: could not build the base image" >&2; exit 1; }

P="$tmp/helloworld"
cp -r examples/helloworld "$P"
rm -rf "$P/bin"
git -C "$P" init -q
git -C "$P" add -A
git -C "$P" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false commit -q -m bench
git -C "$P" tag v0.1.0

cat >"$tmp/devk8s.sh" <<SH
#!/usr/bin/env bash
cd "$P" && exec $DEVK8S deploy helloworld --no-hosts --build-arg BASE=$base
SH
cat >"$tmp/devk8s-alone.sh" <<SH
#!/usr/bin/env bash
export DEVK8S_DAEMON=0
cd "$P" && exec $DEVK8S deploy helloworld --no-hosts --build-arg BASE=$base
SH
cat >"$tmp/hand.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
cd "$P"
export VERSION="\$(git describe --tags --always --dirty)" DATE="\$(date -u +%Y%m%d.%H%M%S)"
export APP=helloworld NAME=helloworld PROJECT=examples NAMESPACE=default DOMAIN=minikube IMAGE="helloworld:\$VERSION"
CGO_ENABLED=0 GOOS=linux GOARCH=$(go env GOARCH) go build -trimpath -ldflags "-X=main.version=\${VERSION}-\${DATE}" \\
    -o bin/helloworld ./cmd/helloworld
${ENGINE[*]} docker build -t "\$IMAGE" --build-arg BASE=$base .
for f in deployment/*.yaml; do echo ---; envsubst <"\$f"; done | kubectl apply --server-side --validate=false -f -
SH
cat >"$tmp/change.sh" <<SH
#!/usr/bin/env bash
echo "// changed \$(date +%s%N)" >>"$P/cmd/helloworld/main.go"
SH
chmod +x "$tmp"/*.sh

"$tmp/devk8s.sh" >"$tmp/first.out" 2>&1 || { cat "$tmp/first.out" >&2; echo "bench/deploy.sh: the first devk8s deploy failed" >&2; exit 1; }
"$tmp/hand.sh" >"$tmp/first.out" 2>&1 || { cat "$tmp/first.out" >&2; echo "bench/deploy.sh: the hand flow failed" >&2; exit 1; }

row() {   # row LABEL DEVK8S_MS HAND_MS TARGET
    awk -v l="$1" -v d="$2" -v k="$3" -v t="$4" 'BEGIN {
        r = d / (k > 0 ? k : 1)
        printf "%-18s devk8s %6d ms   hand flow %6d ms   ratio %5.2f (target <= %.2f: %s)\n", l, d, k, r, t, (r <= t) ? "met" : "MISSED" }'
}
hmedian() {   # hmedian FILE N: the N-th command's median from hyperfine's JSON, in ms
    sed -n 's/.*"median": *\([0-9.]*\).*/\1/p' "$1" | sed -n "$2p" | awk '{printf "%d", $1 * 1000}'
}

# (a) nothing changed: devk8s's runs come first, so the hand flow's go build (which rewrites bin/) cannot touch them;
# the warm-up run after the hand flow's first run rebuilds devk8s's image once
echo "(a) unchanged ..." >&2
hyperfine --runs "$RUNS" --warmup 1 --export-json "$tmp/a.json" -n devk8s "$tmp/devk8s.sh" -n "hand flow" "$tmp/hand.sh" \
    -n "devk8s, DEVK8S_DAEMON=0" "$tmp/devk8s-alone.sh" >&2
echo "(b) one-line change ..." >&2
hyperfine --runs "$RUNS" --warmup 1 --prepare "$tmp/change.sh" --export-json "$tmp/b.json" \
    -n devk8s "$tmp/devk8s.sh" -n "hand flow" "$tmp/hand.sh" -n "devk8s, DEVK8S_DAEMON=0" "$tmp/devk8s-alone.sh" >&2
# (b) once more, alternating: devk8s, the hand flow, devk8s, ... with a one-line change before each, so that a
# slower or faster minute of a noisy machine falls on both (hyperfine runs all of one command, then the next)
ALT_RESULT=""
if [ "$ALTERNATE" -gt 0 ]; then
    echo "(b) one-line change, alternating, $ALTERNATE rounds ..." >&2
    alt_d=""
    alt_h=""
    for _ in $(seq 1 "$ALTERNATE"); do
        for which in devk8s hand; do
            "$tmp/change.sh"
            t0=$(date +%s%N)
            "$tmp/$which.sh" >"$tmp/alt.out" 2>&1 || { cat "$tmp/alt.out" >&2; echo "bench/deploy.sh: $which failed" >&2; exit 1; }
            t1=$(date +%s%N)
            if [ "$which" = devk8s ]; then alt_d="$alt_d $(((t1 - t0) / 1000000))"; else alt_h="$alt_h $(((t1 - t0) / 1000000))"; fi
        done
    done
    ALT_RESULT="$(row "(b) alternating" "$(median "$alt_d")" "$(median "$alt_h")" 1.0)   ($ALTERNATE rounds)"
fi
"$tmp/devk8s.sh" >"$tmp/check.out" 2>&1
grep -q "unchanged" "$tmp/check.out" || { cat "$tmp/check.out" >&2; echo "bench/deploy.sh: a repeated deploy was not unchanged" >&2; exit 1; }

RESULTS="$(row "(a) unchanged" "$(hmedian "$tmp/a.json" 1)" "$(hmedian "$tmp/a.json" 2)" 0.5)
$(row "(b) one-line change" "$(hmedian "$tmp/b.json" 1)" "$(hmedian "$tmp/b.json" 2)" 1.0)${ALT_RESULT:+
$ALT_RESULT}
without the background process (DEVK8S_DAEMON=0: a JVM of its own for every deploy):
$(row "(a) unchanged" "$(hmedian "$tmp/a.json" 3)" "$(hmedian "$tmp/a.json" 2)" 0.5)
$(row "(b) one-line change" "$(hmedian "$tmp/b.json" 3)" "$(hmedian "$tmp/b.json" 2)" 1.0)"

# ------------------------------------------------------------------------------------------------ large context
if [ "$BIG" != 0 ]; then
    B="$tmp/big"
    mkdir -p "$B/kept" "$B/ignored"
    ignored_files=$((BIG_FILES * BIG_PCT / 100))
    kept_files=$((BIG_FILES - ignored_files))
    ignored_bytes=$((BIG_MB * 1024 * 1024 * BIG_PCT / 100))
    kept_bytes=$((BIG_MB * 1024 * 1024 - ignored_bytes))
    echo "large context: $BIG_FILES files, $BIG_MB MB ($ignored_files files, $((ignored_bytes / 1048576)) MB ignored) ..." >&2
    make_files() {   # make_files DIR FILES BYTES
        [ "$2" -gt 0 ] || return 0
        local size=$(($3 / $2))
        [ "$size" -gt 0 ] || size=1
        head -c $((size * $2)) /dev/urandom | (cd "$1" && split -b "$size" -a 6 - f)
    }
    make_files "$B/kept" "$kept_files" "$kept_bytes"
    make_files "$B/ignored" "$ignored_files" "$ignored_bytes"
    printf 'ignored\n' >"$B/.dockerignore"
    printf 'ARG BASE\nFROM ${BASE}\nCOPY kept /kept\n' >"$B/Dockerfile"
    cat >"$B/devk8s.yaml" <<YAML
project: bench
apps:
  - name: big
    image: big
    context: .
    dockerfile: Dockerfile
    buildArgs: {BASE: $base}
    manifests: [deploy.yaml]
YAML
    cat >"$B/deploy.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: big}
spec:
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec: {containers: [{name: app, image: "${IMAGE}", imagePullPolicy: IfNotPresent}]}
YAML
    cat >"$tmp/big-clean.sh" <<SH
#!/usr/bin/env bash
ids="\$(${ENGINE[*]} docker images -q --filter reference='big:*')"
[ -z "\$ids" ] || ${ENGINE[*]} docker rmi -f \$ids >/dev/null
SH
    cat >"$tmp/big-devk8s.sh" <<SH
#!/usr/bin/env bash
cd "$B" && exec $DEVK8S deploy big --no-hosts --no-wait
SH
    cat >"$tmp/big-cli.sh" <<SH
#!/usr/bin/env bash
cd "$B" && exec ${ENGINE[*]} docker build -t big:cli --build-arg BASE=$base .
SH
    chmod +x "$tmp"/big-*.sh

    # peak RSS and temporary files: one build in a process of its own (DEVK8S_DAEMON=0), with TMPDIR and
    # java.io.tmpdir on an empty folder
    watch="$tmp/tmp-watch"
    mkdir -p "$watch"
    "$tmp/big-clean.sh"
    DEVK8S_DAEMON=0 TMPDIR="$watch" JAVA_TOOL_OPTIONS="-Djava.io.tmpdir=$watch" /usr/bin/time -v "$tmp/big-devk8s.sh" \
        >"$tmp/big.out" 2>"$tmp/big.err" || { cat "$tmp/big.err" >&2; echo "bench/deploy.sh: devk8s deploy big failed" >&2; exit 1; }
    grep -q "building big:" "$tmp/big.err" || { cat "$tmp/big.err" >&2; echo "bench/deploy.sh: devk8s did not build" >&2; exit 1; }
    rss_kb="$(sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$tmp/big.err")"
    written="$(find "$watch" -mindepth 1 | wc -l)"
    # the same for the background process: a fresh one, started by a build with TMPDIR and java.io.tmpdir on another
    # empty folder (it keeps the environment it was started with); its peak RSS from `devk8s daemon status` after
    # the measured builds below
    watch2="$tmp/tmp-watch-daemon"
    mkdir -p "$watch2"
    $DEVK8S daemon stop >/dev/null 2>&1
    "$tmp/big-clean.sh"
    TMPDIR="$watch2" JAVA_TOOL_OPTIONS="-Djava.io.tmpdir=$watch2" "$tmp/big-devk8s.sh" >"$tmp/big.out" 2>"$tmp/big.err" \
        || { cat "$tmp/big.err" >&2; echo "bench/deploy.sh: devk8s deploy big failed" >&2; exit 1; }

    hyperfine --runs "$BIG_RUNS" --prepare "$tmp/big-clean.sh" --export-json "$tmp/big.json" \
        -n devk8s "$tmp/big-devk8s.sh" -n "docker build" "$tmp/big-cli.sh" \
        -n "devk8s, DEVK8S_DAEMON=0" "env DEVK8S_DAEMON=0 $tmp/big-devk8s.sh" >&2
    d="$(hmedian "$tmp/big.json" 1)"
    k="$(hmedian "$tmp/big.json" 2)"
    d0="$(hmedian "$tmp/big.json" 3)"
    daemon_kb="$($DEVK8S daemon status 2>/dev/null | sed -n 's/.*VmHWM: *\([0-9]*\) kB.*/\1/p')"
    written2="$(find "$watch2" -mindepth 1 | wc -l)"
    RESULTS="$RESULTS
$(awk -v f="$BIG_FILES" -v m="$BIG_MB" -v p="$BIG_PCT" -v d="$d" -v k="$k" -v d0="$d0" -v rss="$rss_kb" -v w="$written" \
        -v drss="${daemon_kb:-0}" -v w2="$written2" 'BEGIN {
        printf "large context (%d files, %d MB, %d%% ignored): devk8s %d ms   docker build %d ms   ratio %.2f (target <= 1.00: %s)\n", f, m, p, d, k, d / (k > 0 ? k : 1), (d <= k) ? "met" : "MISSED"
        printf "  DEVK8S_DAEMON=0: devk8s %d ms   ratio %.2f\n", d0, d0 / (k > 0 ? k : 1)
        printf "  devk8s peak RSS: in a process of its own %d MB, the background process %d MB (target <= 256: %s)\n", rss / 1024, drss / 1024, (rss / 1024 <= 256 && drss / 1024 <= 256 && drss > 0) ? "met" : "MISSED"
        printf "  files written to TMPDIR/java.io.tmpdir: %d in a process of its own, %d by the background process\n", w, w2 }')"
fi

echo
echo "$RESULTS"
echo "($RUNS runs per helloworld case, ${BIG_RUNS} per large-context case, medians; devk8s = $DEVK8S;"
echo " docker = $(command -v docker) $(docker version --format '{{.Client.Version}}' 2>/dev/null || true), engine $("${ENGINE[@]}" docker version --format '{{.Server.Version}}' 2>/dev/null || true); mock API server at $URL)"
