#!/usr/bin/env bash
#
# scripts/mock-cluster.sh - try devk8s without a cluster: starts fabric8's mock Kubernetes API server (the one the
# tests use, with server-side apply, a simulated Deployment controller and the discovery documents the real kubectl
# needs) and the minikube stand-in, and prints the environment to point devk8s (and kubectl) at them. It stays in
# the foreground until Ctrl-C. Nothing real is started; nothing leaves this machine. bench/up.sh drives it.
#
# The kubeconfig holds two contexts: "minikube" (current; the profile's, so devk8s uses it) and "staging", the same
# mock server under a name that is not the profile's, to see the local-only guard refuse it:
#   devk8s status --context staging       # refused, exit 3
#   devk8s status --context staging --allow-context staging
#
#   scripts/mock-cluster.sh [DELAY_MS]     # Deployments become available DELAY_MS apart (default 1500)
#
# Then, in another terminal, paste the printed exports and run e.g.
#   devk8s up --hosts-file /tmp/hosts && devk8s status --hosts-file /tmp/hosts && devk8s down --hosts-file /tmp/hosts
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# the build's output is shown only when it fails (some Maven packages print colour resets even with -q)
if ! mvn -q -B -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$WORK/cp.txt" >"$WORK/build.log" 2>&1; then
    cat "$WORK/build.log" >&2
    echo "mock-cluster.sh: the build failed (output above)" >&2
    exit 1
fi
mkdir -p "$WORK/bin"
cp src/test/resources/fixtures/bin/minikube "$WORK/bin/minikube"
chmod +x "$WORK/bin/minikube"
cat <<MSG
export PATH="$WORK/bin:\$PATH" KUBECONFIG="$WORK/kubeconfig:$WORK/staging.kubeconfig" FIXTURE_MINIKUBE_DRIVER=kvm2
MSG
java -Djava.util.logging.config.file=/dev/null -cp "target/test-classes:target/classes:$(cat "$WORK/cp.txt")" \
    io.devk8s.support.MockClusterMain "$WORK/kubeconfig" minikube "${1:-1500}" 2> >(grep -v "MockWebServer\|^INFO" >&2) &
MOCK=$!
trap 'kill "$MOCK" 2>/dev/null || true; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
# a second, non-minikube context on the same server, once the mock has written its kubeconfig
SERVER=""
while [ -z "$SERVER" ]; do
    kill -0 "$MOCK" 2>/dev/null || { wait "$MOCK"; exit $?; }
    if grep -q "mock-token-minikube" "$WORK/kubeconfig" 2>/dev/null; then
        SERVER="$(sed -n 's/^ *server: *//p' "$WORK/kubeconfig" | head -n 1)"
    fi
    [ -n "$SERVER" ] || sleep 0.1
done
cat >"$WORK/staging.kubeconfig.tmp" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: staging
  cluster:
    server: $SERVER
    insecure-skip-tls-verify: true
contexts:
- name: staging
  context:
    cluster: staging
    user: staging
    namespace: default
users:
- name: staging
  user:
    token: mock-token-staging
YAML
mv "$WORK/staging.kubeconfig.tmp" "$WORK/staging.kubeconfig"
wait "$MOCK"
