#!/usr/bin/env bash
#
# bench/startup.sh - how long devk8s takes to start, next to the Go tools it replaces, measured in the same run.
#
#   bench/startup.sh [RUNS]          (default 15 runs per case)
#   DEVK8S=~/.local/bin/devk8s bench/startup.sh    (which devk8s: $DEVK8S, else devk8s on PATH, else target/devk8s.jar)
#
# Cases (median wall time of RUNS runs each, first run discarded as warm-up):
#   devk8s --version            vs  kubectl version --client
#   devk8s render stack         vs  kubectl version --client + envsubst over the same YAML (the classic pipeline's
#                                   floor: it has no templating, no validation and no ordering)
# Prints each median and the ratio devk8s / plain. Machines are noisy: compare ratios from one run, not across runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS="${1:-15}"

# shellcheck source=bench/lib.sh
. bench/lib.sh
find_devk8s bench/startup.sh
command -v kubectl >/dev/null 2>&1 || { echo "bench/startup.sh: kubectl is needed as the baseline" >&2; exit 2; }
command -v envsubst >/dev/null 2>&1 || { echo "bench/startup.sh: envsubst (gettext-base) is needed as the baseline" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp"   # keep kubectl's discovery cache and config out of the picture
$DEVK8S render stack > "$tmp/stack.yaml"

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
    awk -v l="$1" -v d="$2" -v p="$3" 'BEGIN {printf "%-34s devk8s %6d ms   plain %6d ms   ratio %5.2f\n", l, d, p, d / (p > 0 ? p : 1)}'
}

# shellcheck disable=SC2086
v_d=$(median_ms $DEVK8S --version)
v_p=$(median_ms kubectl version --client)
row "--version vs kubectl version" "$v_d" "$v_p"

# shellcheck disable=SC2086
r_d=$(median_ms $DEVK8S render stack)
r_p=$(median_ms sh -c "kubectl version --client >/dev/null && envsubst < '$tmp/stack.yaml'")
row "render stack vs kubectl+envsubst" "$r_d" "$r_p"
echo "($RUNS runs each, medians; devk8s = $DEVK8S)"
