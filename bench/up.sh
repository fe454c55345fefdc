#!/usr/bin/env bash
#
# bench/up.sh - devk8s up / down next to the kubectl pipeline they replace, against the same mock API server,
# measured in the same run.
#
#   bench/up.sh [RUNS]               (default 7 runs per case; about 2 minutes in all)
#   DEVK8S=~/.local/bin/devk8s bench/up.sh    (which devk8s: $DEVK8S, else devk8s on PATH, else target/devk8s.jar)
#
# No cluster is involved: scripts/mock-cluster.sh starts fabric8's mock Kubernetes API server (the one the tests
# use: CRUD store, server-side apply, the discovery documents kubectl needs, a Deployment controller that marks
# Deployments available at once) and the minikube stand-in. Both tools talk HTTP to that one server, so the figures
# compare client work and request counts, not a real apiserver's latency.
#
# Cases (median wall time of RUNS runs each, after one warm-up run that also fills kubectl's discovery cache):
#   first apply      devk8s up --no-wait --no-hosts
#                    vs  kubectl apply --server-side --validate=false -f f   (f: devk8s render stack, made once)
#   no-op re-apply   the same two again, the stack unchanged
#   teardown         devk8s down --no-hosts
#                    vs  kubectl delete <every kind devk8s down deletes, namespace last> -n devk8s
#                        --selector=app.kubernetes.io/part-of=devk8s --ignore-not-found=true
# devk8s runs twice: through its background process (as installed; the warm-up run starts it), and with
# DEVK8S_DAEMON=0, a JVM of its own for every command.
# Each run does first apply, re-apply and teardown for one tool, then for the other, so every first apply starts
# from an empty mock. Next to each median: the write requests (POST/PUT/PATCH/DELETE) and all requests the tool made,
# read from the mock's request record (kubectl's discovery GETs included when its cache is cold; it is warm here).
# Prints the ratio devk8s / kubectl. Machines are noisy: compare ratios from one run, not across runs.
#
# Needs: Maven and a JDK (to start the mock), kubectl, curl; target/devk8s.jar (mvn package) unless $DEVK8S is set.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
RUNS="${1:-7}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "bench/up.sh: RUNS must be a positive number, got: $RUNS" >&2; exit 2; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
find_devk8s bench/up.sh
command -v kubectl >/dev/null 2>&1 || { echo "bench/up.sh: kubectl is needed as the baseline" >&2; exit 2; }
command -v curl >/dev/null 2>&1 || { echo "bench/up.sh: curl is needed to read the mock's request record" >&2; exit 2; }
command -v setsid >/dev/null 2>&1 || { echo "bench/up.sh: setsid (util-linux) is needed to stop the mock" >&2; exit 2; }

# ------------------------------------------------------------------------------------------------ the mock
start_mock bench/up.sh

KINDS="deployments,statefulsets,daemonsets,jobs,replicasets,pods,services,ingresses,configmaps,secrets"
KINDS="$KINDS,serviceaccounts,roles,rolebindings,persistentvolumeclaims,clusterroles,clusterrolebindings"
KINDS="$KINDS,ingressclasses,namespaces"
SELECTOR="app.kubernetes.io/part-of=devk8s"

# ------------------------------------------------------------------------------------------------ measuring
declare -A MS WRITES REQUESTS   # case -> space-separated values, one per measured run

# shellcheck disable=SC2086
d_first()    { $DEVK8S up --no-wait --no-hosts; }
# shellcheck disable=SC2086
d_again()    { $DEVK8S up --no-wait --no-hosts; }
# shellcheck disable=SC2086
d_down()     { $DEVK8S down --no-hosts; }
# the same in a process of its own each time, as without devk8s's background process
# shellcheck disable=SC2086
d0_first()   { DEVK8S_DAEMON=0 $DEVK8S up --no-wait --no-hosts; }
# shellcheck disable=SC2086
d0_again()   { DEVK8S_DAEMON=0 $DEVK8S up --no-wait --no-hosts; }
# shellcheck disable=SC2086
d0_down()    { DEVK8S_DAEMON=0 $DEVK8S down --no-hosts; }
# kubectl applies the files devk8s rendered, once, before any measuring
# shellcheck disable=SC2086
DEVK8S_DAEMON=0 $DEVK8S render stack >"$tmp/stack.yaml"
k_first()    { kubectl apply --server-side --validate=false -f "$tmp/stack.yaml"; }
k_again()    { k_first; }
k_down()     { kubectl delete "$KINDS" -n devk8s --selector="$SELECTOR" --ignore-not-found=true; }

measure() {   # measure CASE RECORD(yes|no): runs the function CASE once, with the mock's request record around it
    curl -fsS -X DELETE "$URL/devk8s-mock/requests" >/dev/null
    local start end
    start=$(date +%s%N)
    if ! "$1" >"$tmp/last.out" 2>"$tmp/last.err"; then
        cat "$tmp/last.out" "$tmp/last.err" >&2
        echo "bench/up.sh: $1 failed (output above)" >&2
        exit 1
    fi
    end=$(date +%s%N)
    local log
    log="$(curl -fsS "$URL/devk8s-mock/requests")"
    if [ "$2" = yes ]; then
        MS[$1]+="$(( (end - start) / 1000000 )) "
        WRITES[$1]+="$(sed -n 's/.*"writes":\([0-9]*\).*/\1/p' <<<"$log") "
        REQUESTS[$1]+="$(sed -n 's/.*"requests":\([0-9]*\).*/\1/p' <<<"$log") "
    fi
}

cycle() {   # cycle RECORD: first apply, re-apply and teardown, devk8s then kubectl
    for c in d_first d_again d_down d0_first d0_again d0_down k_first k_again k_down; do
        measure "$c" "$1"
    done
}

spread() {   # "N" when every run gave N, else "MIN-MAX"
    tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {print (lo==hi) ? lo : lo "-" hi}'
}

echo "warm-up run ..." >&2
cycle no
for i in $(seq "$RUNS"); do
    echo "run $i/$RUNS ..." >&2
    cycle yes
done

row() {   # row LABEL DEVK8S_CASE KUBECTL_CASE
    local dm km
    dm="$(median "${MS[$2]}")"
    km="$(median "${MS[$3]}")"
    awk -v l="$1" -v d="$dm" -v k="$km" -v dw="$(spread "${WRITES[$2]}")" -v dr="$(spread "${REQUESTS[$2]}")" \
        -v kw="$(spread "${WRITES[$3]}")" -v kr="$(spread "${REQUESTS[$3]}")" 'BEGIN {
        printf "%-15s devk8s %6d ms (%3s writes, %3s requests)   kubectl %6d ms (%3s writes, %3s requests)   ratio %5.2f\n",
            l, d, dw, dr, k, kw, kr, d / (k > 0 ? k : 1) }'
}

row "first apply" d_first k_first
row "no-op re-apply" d_again k_again
row "teardown" d_down k_down
echo "without the background process (DEVK8S_DAEMON=0: a JVM of its own for every command):"
row "first apply" d0_first k_first
row "no-op re-apply" d0_again k_again
row "teardown" d0_down k_down
echo "($RUNS runs each, medians; devk8s = $DEVK8S; kubectl = $(command -v kubectl); mock API server at $URL)"
