# Shared by the bench/ scripts (sourced, not run).

# Sets DEVK8S to the devk8s to measure: $DEVK8S when set, else devk8s on PATH, else the jar in target/ run with the
# launcher's start-up flags. $1: the calling script's name, for the error.
find_devk8s() {
    if [ -n "${DEVK8S:-}" ]; then
        return 0
    elif command -v devk8s >/dev/null 2>&1; then
        DEVK8S="devk8s"
    elif [ -f "$PWD/target/devk8s.jar" ]; then
        DEVK8S="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -jar $PWD/target/devk8s.jar"
    else
        echo "$1: no devk8s on PATH and no target/devk8s.jar; run ./install.sh or mvn package first" >&2
        exit 2
    fi
}

# Starts scripts/mock-cluster.sh (fabric8's mock API server and the minikube stand-in) in its own process group and
# takes over the environment it prints. Needs $tmp (the caller's temp folder); sets MOCK_PID (the caller's EXIT trap
# stops it with: kill -TERM -- "-$MOCK_PID") and URL (the mock's address). $1: the calling script's name,
# $2: the delay in ms between Deployments becoming available (default 0).
start_mock() {
    echo "starting the mock API server (scripts/mock-cluster.sh) ..." >&2
    setsid scripts/mock-cluster.sh "${2:-0}" >"$tmp/mock.out" 2>"$tmp/mock.err" &
    MOCK_PID=$!
    URL=""
    for _ in $(seq 1 1800); do   # mock-cluster.sh compiles the test classes first: up to 3 minutes on a cold machine
        URL="$(sed -n 's|^mock API server at \(http://[^,]*\), .*|\1|p' "$tmp/mock.out")"
        [ -n "$URL" ] && break
        if ! kill -0 "$MOCK_PID" 2>/dev/null; then
            cat "$tmp/mock.err" >&2
            echo "$1: scripts/mock-cluster.sh exited before the mock API server was up (output above)" >&2
            exit 1
        fi
        sleep 0.1
    done
    [ -n "$URL" ] || { echo "$1: the mock API server did not start within 3 minutes" >&2; exit 1; }
    URL="${URL%/}"
    # the first line mock-cluster.sh prints is the environment that points devk8s at the mock and the minikube stand-in
    eval "$(grep '^export ' "$tmp/mock.out")"
}

# Median of the whitespace-separated numbers in $1.
median() {
    tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
