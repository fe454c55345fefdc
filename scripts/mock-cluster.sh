#!/usr/bin/env bash
#
# scripts/mock-cluster.sh - try devk8s without a cluster: starts fabric8's mock Kubernetes API server (the one the
# tests use, with server-side apply, a simulated Deployment controller and the discovery documents the real kubectl
# needs) and the minikube stand-in, and prints the environment to point devk8s (and kubectl) at them. Runs until
# Ctrl-C. Nothing real is started; nothing leaves this machine. bench/up.sh drives it.
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
mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >&2
mkdir -p "$WORK/bin"
cp src/test/resources/fixtures/bin/minikube "$WORK/bin/minikube"
chmod +x "$WORK/bin/minikube"
cat <<MSG
export PATH="$WORK/bin:\$PATH" KUBECONFIG="$WORK/kubeconfig" FIXTURE_MINIKUBE_DRIVER=kvm2
MSG
java -Djava.util.logging.config.file=/dev/null -cp "target/test-classes:target/classes:$(cat "$WORK/cp.txt")" \
    io.devk8s.support.MockClusterMain "$WORK/kubeconfig" minikube "${1:-1500}" 2> >(grep -v "MockWebServer\|^INFO" >&2)
