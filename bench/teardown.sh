#!/usr/bin/env bash
#
# bench/teardown.sh - devk8s teardown next to the kubectl line it replaces, against the same mock API server,
# measured in the same run.
#
#   bench/teardown.sh [RUNS]               (default 5 runs per tool)
#   DEVK8S=~/.local/bin/devk8s bench/teardown.sh   (which devk8s: $DEVK8S, else devk8s on PATH, else target/devk8s.jar)
#
# No cluster is involved: scripts/mock-cluster.sh starts fabric8's mock Kubernetes API server (the one the tests
# use) and the minikube stand-in. Both tools talk HTTP to that one server, so the figures compare client work and
# request counts, not a real apiserver's latency.
#
# Before every measured run, 1,000 objects labelled appgroup=bench are created in namespace bench (kubectl apply
# --server-side, not measured): 100 each of Deployment, Service, ReplicaSet, Pod, ConfigMap, Secret, ServiceAccount,
# Role, Ingress and NetworkPolicy. Then one of
#   devk8s   devk8s teardown --selector appgroup=bench -n bench --no-hosts      (all 1,000, waits until gone)
#   kubectl  kubectl delete deployments,services,replicasets,pods,configmaps,secrets -n bench
#                --selector=appgroup=bench --ignore-not-found=true              (the 600 of those six kinds)
# Prints each median and the ratio devk8s / kubectl. Uses hyperfine when installed (--prepare seeds), else a loop;
# one devk8s run before the measured ones warms the file cache and checks that everything went.
# Machines are noisy: compare ratios from one run, not across runs.
#
# Needs: Maven and a JDK (to start the mock), kubectl, curl, setsid; target/devk8s.jar (mvn package) unless $DEVK8S.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS="${1:-5}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "bench/teardown.sh: RUNS must be a positive number, got: $RUNS" >&2; exit 2; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
find_devk8s bench/teardown.sh
for tool in kubectl curl setsid; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench/teardown.sh: $tool is needed" >&2; exit 2; }
done

tmp="$(mktemp -d)"
MOCK_PID=""
cleanup() {
    if [ -n "$MOCK_PID" ]; then
        kill -TERM -- "-$MOCK_PID" 2>/dev/null || true   # the mock-cluster.sh process group: the script and its JVM
        wait "$MOCK_PID" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_mock bench/teardown.sh 0
export HOME="$tmp/home"
mkdir -p "$HOME"
unset MINIKUBE_PROFILE MINIKUBE_HOME

# ------------------------------------------------------------------------------------------------ the objects
seed="$tmp/seed.yaml"
{
    echo "apiVersion: v1"
    echo "kind: Namespace"
    echo "metadata: {name: bench}"
    for i in $(seq -w 1 100); do
        L="labels: {appgroup: bench, app: app$i}"
        cat <<YAML
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app$i, namespace: bench, $L}
spec:
  selector: {matchLabels: {app: app$i}}
  template:
    metadata: {labels: {app: app$i}}
    spec: {containers: [{name: app, image: "app:1"}]}
---
apiVersion: v1
kind: Service
metadata: {name: app$i, namespace: bench, $L}
spec: {ports: [{port: 80}], selector: {app: app$i}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: app$i-rs, namespace: bench, $L}
spec:
  selector: {matchLabels: {app: app$i}}
  template:
    metadata: {labels: {app: app$i}}
    spec: {containers: [{name: app, image: "app:1"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: app$i-pod, namespace: bench, $L}
spec: {containers: [{name: app, image: "app:1"}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app$i, namespace: bench, $L}
data: {k: v}
---
apiVersion: v1
kind: Secret
metadata: {name: app$i, namespace: bench, $L}
stringData: {k: v}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app$i, namespace: bench, $L}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: app$i, namespace: bench, $L}
rules: []
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app$i, namespace: bench, $L}
spec: {rules: [{host: app$i.bench.minikube}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: app$i, namespace: bench, $L}
spec: {podSelector: {}}
YAML
    done
} >"$seed"

cat >"$tmp/seed.sh" <<SH
#!/usr/bin/env bash
kubectl apply --server-side --validate=false -f "$seed" >/dev/null
SH
D="$DEVK8S teardown --selector appgroup=bench -n bench --no-hosts --timeout 2m"
K="kubectl delete deployments,services,replicasets,pods,configmaps,secrets -n bench --selector=appgroup=bench --ignore-not-found=true"
chmod +x "$tmp/seed.sh"
"$tmp/seed.sh"
count="$(kubectl get deployments,services,replicasets,pods,configmaps,secrets,serviceaccounts,roles,ingresses,networkpolicies \
    -n bench -l appgroup=bench -o name | wc -l)"
[ "$count" -eq 1000 ] || { echo "bench/teardown.sh: seeded $count objects, expected 1000" >&2; exit 1; }
$D >/dev/null 2>&1   # warm-up (also checks it works)
left="$(kubectl get deployments,services,replicasets,pods,configmaps,secrets,serviceaccounts,roles,ingresses,networkpolicies \
    -n bench -l appgroup=bench -o name | wc -l)"
[ "$left" -eq 0 ] || { echo "bench/teardown.sh: devk8s teardown left $left objects" >&2; exit 1; }

if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --runs "$RUNS" --prepare "$tmp/seed.sh" --export-json "$tmp/h.json" -n devk8s "$D" -n kubectl "$K" >&2
    dm="$(sed -n 's/.*"median": *\([0-9.]*\).*/\1/p' "$tmp/h.json" | sed -n 1p)"
    km="$(sed -n 's/.*"median": *\([0-9.]*\).*/\1/p' "$tmp/h.json" | sed -n 2p)"
    dm="$(awk -v s="$dm" 'BEGIN {printf "%d", s * 1000}')"
    km="$(awk -v s="$km" 'BEGIN {printf "%d", s * 1000}')"
else
    declare -A MS
    for i in $(seq "$RUNS"); do
        for t in D K; do
            "$tmp/seed.sh"
            start=$(date +%s%N)
            ${!t} >/dev/null 2>&1
            MS[$t]+="$(( ($(date +%s%N) - start) / 1000000 )) "
        done
        echo "run $i/$RUNS ..." >&2
    done
    median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    dm="$(median "${MS[D]}")"
    km="$(median "${MS[K]}")"
fi
awk -v d="$dm" -v k="$km" 'BEGIN {
    printf "teardown of 1,000 labelled objects: devk8s %d ms (all 10 kinds)   kubectl %d ms (6 kinds, 600 objects)   ratio %.2f\n",
        d, k, d / (k > 0 ? k : 1) }'
echo "($RUNS runs each, medians; devk8s = $DEVK8S; kubectl = $(command -v kubectl); mock API server at $URL)"
