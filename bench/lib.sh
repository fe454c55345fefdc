# Shared by the bench/ scripts (sourced, not run).

# Sets DEVK8S to the devk8s to measure: $DEVK8S when set, else devk8s on PATH, else the jar in target/ run with the
# launcher's start-up flags. $1: the calling script's name, for the error.
find_devk8s() {
    if [ -n "${DEVK8S:-}" ]; then
        return 0
    elif command -v devk8s >/dev/null 2>&1; then
        DEVK8S="devk8s"
    elif [ -f "$PWD/target/devk8s.jar" ]; then
        DEVK8S="java -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xshare:auto -Ddevk8s.daemon=auto -jar $PWD/target/devk8s.jar"
    else
        echo "$1: no devk8s on PATH and no target/devk8s.jar; run ./install.sh or mvn package first" >&2
        exit 2
    fi
}

# Starts scripts/mock-cluster.sh (fabric8's mock API server and the minikube stand-in) in its own process group and
# points this shell at it: sets tmp (a fresh temp folder, removed on exit), MOCK_PID, URL (no trailing slash), the
# exports mock-cluster.sh prints (KUBECONFIG, PATH with the stand-in, ...), HOME (an empty folder under tmp, so
# kubectl's cache and config stay out), XDG_RUNTIME_DIR (so that this run starts its own devk8s background process)
# and unsets MINIKUBE_PROFILE and MINIKUBE_HOME. On exit (also INT and TERM) it stops devk8s's background process and
# the mock's process group and removes tmp; a script that defines bench_cleanup (a function) has it run first, for
# what it started itself. $1: the calling script's name, for messages.
start_mock() {
    local name="$1"
    tmp="$(mktemp -d)"
    MOCK_PID=""
    trap _bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    echo "starting the mock API server (scripts/mock-cluster.sh) ..." >&2
    : >"$tmp/mock.out"   # there before the loop below reads it, however late the background job starts
    : >"$tmp/mock.err"
    setsid scripts/mock-cluster.sh "${2:-0}" >"$tmp/mock.out" 2>"$tmp/mock.err" &
    MOCK_PID=$!
    URL=""
    local _
    for _ in $(seq 1 1800); do   # mock-cluster.sh compiles the test classes first: up to 3 minutes on a cold machine
        URL="$(sed -n 's|^mock API server at \(http://[^,]*\), .*|\1|p' "$tmp/mock.out")"
        [ -n "$URL" ] && break
        if ! kill -0 "$MOCK_PID" 2>/dev/null; then
            cat "$tmp/mock.err" >&2
            echo "$name: scripts/mock-cluster.sh exited before the mock API server was up (output above)" >&2
            exit 1
        fi
        sleep 0.1
    done
    [ -n "$URL" ] || { echo "$name: the mock API server did not start within 3 minutes" >&2; exit 1; }
    URL="${URL%/}"
    # the first line mock-cluster.sh prints is the environment that points devk8s at the mock and the minikube stand-in
    eval "$(grep '^export ' "$tmp/mock.out")"
    export HOME="$tmp/home"   # kubectl's discovery cache and config out of the picture; devk8s writes no hosts file
    mkdir -p "$HOME"
    export XDG_RUNTIME_DIR="$tmp/run"
    mkdir -p "$XDG_RUNTIME_DIR"
    unset MINIKUBE_PROFILE MINIKUBE_HOME DEVK8S_DAEMON
}

_bench_cleanup() {
    if declare -F bench_cleanup >/dev/null; then
        bench_cleanup || true
    fi
    if [ -n "${DEVK8S:-}" ] && [ -n "${tmp:-}" ] && [ "${XDG_RUNTIME_DIR:-}" = "$tmp/run" ]; then
        # shellcheck disable=SC2086
        $DEVK8S daemon stop >/dev/null 2>&1 || true   # the background process this run started
    fi
    if [ -n "${MOCK_PID:-}" ]; then
        # the mock-cluster.sh process group (the script and its JVM); before setsid made it, the process itself
        kill -TERM -- "-$MOCK_PID" 2>/dev/null || kill -TERM "$MOCK_PID" 2>/dev/null || true
        wait "$MOCK_PID" 2>/dev/null || true
    fi
    [ -n "${tmp:-}" ] && rm -rf "$tmp"
    return 0
}

# The median of the whitespace-separated numbers in $1.
median() {
    tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
