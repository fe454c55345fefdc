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
