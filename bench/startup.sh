#!/usr/bin/env bash
#
# bench/startup.sh - how long devk8s takes to start, next to kubectl, measured in the same run.
#
#   bench/startup.sh [RUNS]          (default 15 runs per case)
#   DEVK8S=~/.local/bin/devk8s bench/startup.sh    (which devk8s: $DEVK8S, else devk8s on PATH, else target/devk8s.jar)
#
# Measure the installed launcher (./install.sh): it runs devk8s with its start-up archive (AppCDS on Java 17-24,
# AOT caches on Java 25+); target/devk8s.jar alone runs without one.
#
# Cases (median wall time of RUNS runs each, first run discarded as warm-up):
#   devk8s --version            vs  kubectl version --client
#   devk8s --help               vs  kubectl version --client
#   devk8s status               vs  kubectl get pods -A          (both against the mock API server, stack deployed)
#   devk8s render stack         vs  kubectl version --client + envsubst over the same YAML (the classic pipeline's
#                                   floor: it has no templating, no validation and no ordering)
# status and render run through devk8s's background process, as installed (the warm-up runs start it), and once
# more with DEVK8S_DAEMON=0, a JVM of their own each time ("the same, DEVK8S_DAEMON=0").
# The mock API server and the minikube stand-in come from scripts/mock-cluster.sh, started and stopped here; no
# cluster is involved, so `status` measures client start-up and request handling, not a real apiserver's latency.
# Prints each median and the ratio devk8s / kubectl. Machines are noisy: compare ratios from one run, not across runs.
#
# Needs: Maven and a JDK (to start the mock), kubectl, envsubst (gettext-base), setsid (util-linux).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS="${1:-15}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "bench/startup.sh: RUNS must be a positive number, got: $RUNS" >&2; exit 2; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
find_devk8s bench/startup.sh
command -v kubectl >/dev/null 2>&1 || { echo "bench/startup.sh: kubectl is needed as the baseline" >&2; exit 2; }
command -v envsubst >/dev/null 2>&1 || { echo "bench/startup.sh: envsubst (gettext-base) is needed as the baseline" >&2; exit 2; }
command -v setsid >/dev/null 2>&1 || { echo "bench/startup.sh: setsid (util-linux) is needed to stop the mock" >&2; exit 2; }

start_mock bench/startup.sh   # sets tmp (removed on exit), HOME under it; stops the mock on exit
printf '127.0.0.1 localhost\n' >"$tmp/hosts"
# shellcheck disable=SC2086
$DEVK8S up --no-wait --hosts-file "$tmp/hosts" >/dev/null 2>"$tmp/up.err" \
    || { cat "$tmp/up.err" >&2; echo "bench/startup.sh: devk8s up against the mock failed (output above)" >&2; exit 1; }
# shellcheck disable=SC2086
$DEVK8S render stack >"$tmp/stack.yaml"
# The mock API server is a JVM: its first answers come from a cold JIT and are slow. Warm it with the requests both
# sides make before measuring, so the medians compare the clients, as against a real (Go) apiserver.
for _ in 1 2 3 4 5 6 7 8; do
    # shellcheck disable=SC2086
    $DEVK8S status --hosts-file "$tmp/hosts" >/dev/null 2>&1 || true
    kubectl get pods -A >/dev/null 2>&1 || true
done

median_ms() {   # median wall time in ms of RUNS runs of "$@"
    local times=()
    "$@" >/dev/null 2>&1 || true
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

row() {   # label devk8s_ms plain_ms
    awk -v l="$1" -v d="$2" -v p="$3" 'BEGIN {printf "%-36s devk8s %6d ms   kubectl %6d ms   ratio %5.2f\n", l, d, p, d / (p > 0 ? p : 1)}'
}

# shellcheck disable=SC2086
v_d=$(median_ms $DEVK8S --version)
v_p=$(median_ms kubectl version --client)
row "--version vs kubectl version --client" "$v_d" "$v_p"

# shellcheck disable=SC2086
h_d=$(median_ms $DEVK8S --help)
row "--help vs kubectl version --client" "$h_d" "$v_p"

# shellcheck disable=SC2086
s_d=$(median_ms $DEVK8S status --hosts-file "$tmp/hosts")
s_p=$(median_ms kubectl get pods -A)
row "status vs kubectl get pods -A" "$s_d" "$s_p"
s_0=$(median_ms env DEVK8S_DAEMON=0 $DEVK8S status --hosts-file "$tmp/hosts")
row "  the same, DEVK8S_DAEMON=0" "$s_0" "$s_p"

# shellcheck disable=SC2086
r_d=$(median_ms $DEVK8S render stack)
r_p=$(median_ms sh -c "kubectl version --client >/dev/null && envsubst < '$tmp/stack.yaml'")
row "render stack vs kubectl+envsubst" "$r_d" "$r_p"
r_0=$(median_ms env DEVK8S_DAEMON=0 $DEVK8S render stack)
row "  the same, DEVK8S_DAEMON=0" "$r_0" "$r_p"
# shellcheck disable=SC2086
echo "($RUNS runs each, medians; devk8s = $DEVK8S on $($DEVK8S --version | tail -n 1))"
