#!/usr/bin/env bash
#
# install.sh - builds devk8s and installs it for the current user.
#
#   ./install.sh                       build with Maven, install into ~/.local (bin/devk8s, lib/devk8s/)
#   ./install.sh --prefix /opt/devk8s  install somewhere else (or PREFIX=/opt/devk8s ./install.sh)
#   ./install.sh --jar devk8s.jar      install a jar you already have, without building
#   ./install.sh --uninstall           remove exactly what a previous run installed (and the folders it made)
#
# Needs Java 17+ (JAVA_HOME or java on PATH); building needs Maven 3.8+ too. With GraalVM's native-image
# on PATH it builds and installs a native binary instead (mvn -Pnative package), unless --jvm is given.
# Running it again replaces the previous installation.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: install.sh [--prefix DIR] [--jar FILE] [--jvm] [--no-cds] [--uninstall] [--help]

Builds devk8s and installs it:
  <prefix>/bin/devk8s                                   the command (a launcher script)
  <prefix>/lib/devk8s/devk8s.jar                        the application
  <prefix>/lib/devk8s/devk8s-*.jsa, devk8s-*.aot        its start-up archive for this JDK: AppCDS (Java 17-24)
                                                        or AOT caches (Java 25+), made at install time
  <prefix>/lib/devk8s/devk8s-client.py                  passes commands to the background process without a
                                                        JVM (when a Python 3.7+ with Unix sockets is found)
  <prefix>/share/bash-completion/completions/devk8s     bash completion
  <prefix>/share/zsh/site-functions/_devk8s             zsh completion

Options:
  --prefix DIR   where to install (default: $PREFIX, else ~/.local)
  --jar FILE     install this devk8s.jar instead of building one with Maven
  --jvm          install the jar even when GraalVM native-image is on PATH
  --no-cds       do not create the start-up archive (start-up is then slower)
  --uninstall    remove what install.sh installed and the empty folders it created, nothing else
  -h, --help     show this help

Environment: JAVA_HOME (which Java to use; else java on PATH), PREFIX, DEVK8S_NO_PYTHON_CLIENT=1 (install
without the Python client: commands reach the background process through a JVM of their own).
The installed command runs the java in JAVA_HOME, else the one checked at install time, else java on PATH;
it passes DEVK8S_JAVA_OPTS (extra JVM flags) to it. DEVK8S_JAVA_CLIENT=1 makes it skip the Python client.
EOF
}

err() { printf 'error: %s\n' "$*" >&2; exit 1; }
info() { printf '%s\n' "$*"; }
# Runs a build command in the source folder with its output kept aside: shown (on stderr) only when it fails, so
# a successful build prints nothing, not even the colour resets some Maven packages emit despite -q.
quietly() {
    local log status=0
    log="$(mktemp "${TMPDIR:-/tmp}/devk8s-build.XXXXXX")"
    (cd "$SRC_DIR" && "$@") >"$log" 2>&1 || status=$?
    [ "$status" -eq 0 ] || cat "$log" >&2
    rm -f "$log"
    return "$status"
}

# ---------------------------------------------------------------------------------------------------------------
# arguments (bash builtins only up to the Java check, so a broken PATH still gets a clear message)
PREFIX="${PREFIX:-}"
JAR=""
MODE="install"
NATIVE="auto"
CDS="yes"
while [ "$#" -gt 0 ]; do
    case "$1" in
        --prefix) [ "$#" -ge 2 ] || err "--prefix needs a directory, e.g. --prefix ~/.local"; PREFIX="$2"; shift 2 ;;
        --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
        --jar) [ "$#" -ge 2 ] || err "--jar needs a file, e.g. --jar target/devk8s.jar"; JAR="$2"; shift 2 ;;
        --jar=*) JAR="${1#--jar=}"; shift ;;
        --jvm) NATIVE="no"; shift ;;
        --no-cds) CDS="no"; shift ;;
        --uninstall) MODE="uninstall"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) err "unknown option '$1' (see ./install.sh --help)" ;;
    esac
done

[ -n "$PREFIX" ] || PREFIX="${HOME:?HOME is not set; pass --prefix DIR}/.local"
case "$PREFIX" in
    /*) ;;
    "~"/*) PREFIX="$HOME/${PREFIX#"~/"}" ;;
    *) PREFIX="$PWD/$PREFIX" ;;
esac
PREFIX="${PREFIX%/}"
[ -n "$PREFIX" ] || err "--prefix / is not allowed; pick a directory such as /usr/local or ~/.local"

SRC_DIR="${BASH_SOURCE[0]%/*}"
[ "$SRC_DIR" != "${BASH_SOURCE[0]}" ] || SRC_DIR="."
SRC_DIR="$(cd "$SRC_DIR" && pwd)"

BIN="$PREFIX/bin/devk8s"
LIB="$PREFIX/lib/devk8s"
COMPLETION="$PREFIX/share/bash-completion/completions/devk8s"
ZSH_COMPLETION="$PREFIX/share/zsh/site-functions/_devk8s"
MANIFEST="$LIB/install-manifest.txt"

# ---------------------------------------------------------------------------------------------------------------
# --uninstall: remove the files listed in the manifest, then the directories this script created, if empty
if [ "$MODE" = "uninstall" ]; then
    if [ ! -f "$MANIFEST" ]; then
        info "nothing to uninstall: no devk8s installation under $PREFIX ($MANIFEST is missing)"
        exit 0
    fi
    files=()
    dirs=()
    while IFS=' ' read -r kind path; do
        case "$kind" in
            file) files+=("$path") ;;
            dir) dirs+=("$path") ;;
        esac
    done <"$MANIFEST"
    # the background process that serves this installation (devk8s daemon) leaves first; one started for another
    # JDK leaves on its own within a minute of its jar going
    if [ -x "$BIN" ] && [ -f "$LIB/devk8s.jar" ]; then
        DEVK8S_NO_ARCHIVE=1 "$BIN" daemon stop </dev/null >/dev/null 2>&1 || true
    fi
    for f in ${files[@]+"${files[@]}"}; do
        case "$f" in "$PREFIX"/*) rm -f -- "$f" ;; esac
    done
    rm -f -- "$MANIFEST"
    # a training run the launcher started in the background (an archive for a JDK without one) would write into
    # the folder being removed: it is stopped (it only makes a cache), and its wrapper gets a moment to tidy up
    if command -v pgrep >/dev/null 2>&1; then
        pattern="$(printf '%s' "$LIB/devk8s" | sed 's/[][\\.^$*+?(){}|]/\\&/g')[^ ]*[.](aot|jsa)[.]tmp"
        training="$(pgrep -f -- "$pattern" || true)"
        if [ -n "$training" ]; then
            # shellcheck disable=SC2086
            kill $training 2>/dev/null || true
            for _ in $(seq 1 50); do
                pgrep -f -- "$pattern" >/dev/null || break
                sleep 0.2
            done
            sleep 0.2
        fi
    fi
    # start-up archives, also those the launcher re-created for another JDK after the install
    rm -f -- "$LIB"/devk8s*.jsa "$LIB"/devk8s*.aot "$LIB"/devk8s*.aot.tmp* "$LIB"/devk8s*.jsa.tmp* "$LIB"/devk8s*.aotconf*
    rm -f -- "$LIB/devk8s-client.py" "$LIB/devk8s-client.py.tmp"
    rmdir -- "$LIB" 2>/dev/null || true
    # deepest first; rmdir leaves a directory alone when something else lives in it. The manifest lists only
    # directories install.sh created: the prefix, folders inside it, and missing parents above it.
    for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do
        d="${dirs[$i]}"
        case "$d" in /?*) ;; *) continue ;; esac
        case "$d" in
            "$PREFIX"/*|"$PREFIX") rmdir -- "$d" 2>/dev/null || true ;;
            *) case "$PREFIX" in "$d"/*) rmdir -- "$d" 2>/dev/null || true ;; esac ;;
        esac
    done
    info "uninstalled devk8s from $PREFIX"
    exit 0
fi

# ---------------------------------------------------------------------------------------------------------------
# Java 17+
JAVA_HINT="install one (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) or set JAVA_HOME"
JAVA=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
elif JAVA="$(command -v java)"; then
    if [ -n "${JAVA_HOME:-}" ]; then
        printf 'warning: JAVA_HOME=%s has no bin/java; using %s\n' "$JAVA_HOME" "$JAVA" >&2
    fi
else
    where="on PATH"
    [ -z "${JAVA_HOME:-}" ] || where="in JAVA_HOME ($JAVA_HOME/bin/java) or on PATH"
    err "devk8s needs Java 17 or newer, and there is no java $where; $JAVA_HINT"
fi
java_out="$("$JAVA" -version 2>&1)" || err "devk8s needs Java 17 or newer, and '$JAVA -version' failed; $JAVA_HINT"
java_line="${java_out%%$'\n'*}"
if [[ "$java_line" =~ version\ \"([0-9]+)(\.([0-9]+))? ]]; then
    java_major="${BASH_REMATCH[1]}"
    [ "$java_major" != "1" ] || java_major="${BASH_REMATCH[3]}"
else
    err "cannot tell the version of $JAVA (it printed: $java_line); devk8s needs Java 17 or newer"
fi
[ "$java_major" -ge 17 ] || err "devk8s needs Java 17 or newer, and $JAVA is Java $java_major; $JAVA_HINT"

# ---------------------------------------------------------------------------------------------------------------
# what to install: a given jar, a native binary (GraalVM) or a jar built here
KIND="jar"
if [ -n "$JAR" ]; then
    case "$JAR" in /*) ;; *) JAR="$PWD/$JAR" ;; esac
    [ -f "$JAR" ] || err "--jar $JAR: no such file (build it with 'mvn package', or leave out --jar)"
else
    [ -f "$SRC_DIR/pom.xml" ] || err "no pom.xml next to install.sh ($SRC_DIR): run it from a devk8s checkout, or pass --jar FILE"
    # Maven: the one on PATH, else the Maven wrapper (./mvnw fetches Maven 3.9.9 from Maven Central once)
    if command -v mvn >/dev/null 2>&1; then
        MVN="mvn"
    elif [ -x "$SRC_DIR/mvnw" ] && { command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1; }; then
        MVN="$SRC_DIR/mvnw"
    else
        err "building devk8s needs Maven 3.8+ (Debian/Ubuntu: sudo apt-get install maven), or curl/wget for ./mvnw, or pass --jar FILE"
    fi
    if [ "$NATIVE" = "auto" ] && command -v native-image >/dev/null 2>&1; then
        KIND="native"
        info "building a native binary with GraalVM (mvn -Pnative package; takes a few minutes)..."
        quietly "$MVN" -B -q -Dstyle.color=never -DskipTests -Pnative package || err "the native build failed (output above); './install.sh --jvm' installs the jar instead"
        [ -x "$SRC_DIR/target/devk8s" ] || err "the native build did not produce target/devk8s"
    else
        info "building devk8s with Maven ($MVN -B -q -DskipTests package)..."
        quietly "$MVN" -B -q -Dstyle.color=never -DskipTests package || err "the Maven build failed (output above)"
        JAR="$SRC_DIR/target/devk8s.jar"
        [ -f "$JAR" ] || err "the Maven build did not produce $JAR"
    fi
fi

# ---------------------------------------------------------------------------------------------------------------
# install, remembering what was created so that --uninstall removes exactly that
created_dirs=()
if [ -f "$MANIFEST" ]; then
    while IFS=' ' read -r kind path; do
        [ "$kind" != "dir" ] || created_dirs+=("$path")
    done <"$MANIFEST"
fi
make_dir() {
    local d="$1" missing=()
    while [ ! -d "$d" ]; do missing=("$d" ${missing[@]+"${missing[@]}"}); d="${d%/*}"; [ -n "$d" ] || break; done
    for d in ${missing[@]+"${missing[@]}"}; do
        mkdir -- "$d" 2>/dev/null || err "cannot create $d (choose another --prefix, or run with sudo)"
        created_dirs+=("$d")
    done
}
make_dir "$PREFIX/bin"
make_dir "$LIB"
[ -w "$LIB" ] && [ -w "$PREFIX/bin" ] || err "cannot write to $PREFIX (choose another --prefix, or run with sudo)"

installed=("$BIN")
# the start-up archives belong to the old jar; and drop what an earlier run of the other kind left behind
rm -f -- "$LIB"/devk8s*.jsa "$LIB"/devk8s*.aot "$LIB"/devk8s*.aotconf*
if [ "$KIND" = "native" ]; then
    rm -f -- "$LIB/devk8s.jar"
    cp -- "$SRC_DIR/target/devk8s" "$LIB/devk8s.tmp"
    chmod 755 "$LIB/devk8s.tmp"
    mv -f -- "$LIB/devk8s.tmp" "$LIB/devk8s"
    installed+=("$LIB/devk8s")
else
    rm -f -- "$LIB/devk8s"
    cp -- "$JAR" "$LIB/devk8s.jar.tmp"
    chmod 644 "$LIB/devk8s.jar.tmp"
    mv -f -- "$LIB/devk8s.jar.tmp" "$LIB/devk8s.jar"
    installed+=("$LIB/devk8s.jar")
fi

# the Python client of the background process (see the launcher): a Python 3.7+ interpreter, not a shell script
# (a version manager's shim starts slower than a JVM), that has Unix sockets with SO_PEERCRED (Linux); the client
# itself comes out of the installed jar, so that it always speaks that jar's protocol
PYTHON_CLIENT=""
rm -f -- "$LIB/devk8s-client.py"
if [ "$KIND" = "jar" ] && [ "${DEVK8S_NO_PYTHON_CLIENT:-}" = "" ]; then
    for candidate in /usr/bin/python3 "$(command -v python3 2>/dev/null || true)"; do
        [ -n "$candidate" ] && [ -x "$candidate" ] || continue
        real="$(readlink -f -- "$candidate" 2>/dev/null || printf '%s' "$candidate")"
        [ "$(head -c 2 -- "$real" 2>/dev/null)" != "#!" ] || continue
        if "$candidate" -I -S -c 'import socket, struct, sys, zipfile
socket.SO_PEERCRED
assert sys.version_info >= (3, 7)
sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("io/devk8s/devk8s-client.py"))' "$LIB/devk8s.jar" \
                >"$LIB/devk8s-client.py.tmp" 2>/dev/null && [ -s "$LIB/devk8s-client.py.tmp" ]; then
            chmod 644 "$LIB/devk8s-client.py.tmp"
            mv -f -- "$LIB/devk8s-client.py.tmp" "$LIB/devk8s-client.py"
            installed+=("$LIB/devk8s-client.py")
            PYTHON_CLIENT="$candidate"
            break
        fi
        rm -f -- "$LIB/devk8s-client.py.tmp"
    done
fi

# the command lines the small ("cli") archive is trained on, words joined by commas: the root's help and version
# (laid out without picocli), picocli's parsing and help of a command (help X, hosts), and passing a command on to
# the background process (daemon-client: a round trip to a stand-in, see StartupTraining)
CLI_TRAINING="--version --help help,hosts hosts,show,--help daemon-client"

# the launcher: exports DEVK8S_LAUNCHER (its own path) and runs java with fast start-up flags
{
    printf '#!/usr/bin/env bash\n'
    printf '# devk8s launcher written by install.sh: re-run install.sh to update, install.sh --uninstall to remove.\n'
    printf 'DEVK8S_LIB=%q\n' "$LIB"
    printf 'export DEVK8S_LAUNCHER=%q\n' "$BIN"
    if [ "$KIND" = "native" ]; then
        printf 'exec "$DEVK8S_LIB/devk8s" "$@"\n'
    else
        printf 'INSTALL_JAVA=%q\n' "$JAVA"
        printf 'INSTALL_JAVA_REAL=%q\n' "$(readlink -f -- "$JAVA" 2>/dev/null || printf '%s' "$JAVA")"
        printf 'ARCHIVE=%q   # no: installed with --no-cds\n' "$CDS"
        printf 'CLI_TRAINING=%q\n' "$CLI_TRAINING"
        printf 'PYTHON=%q   # the Python client of the background process; empty: none found\n' "$PYTHON_CLIENT"
        cat <<'LAUNCHER'
set -f  # DEVK8S_JAVA_OPTS is split on spaces below, never globbed
# JAVA_HOME first, then the Java 17+ install.sh checked, and only then whatever java is on PATH
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java="$JAVA_HOME/bin/java"
elif [ -x "$INSTALL_JAVA" ]; then
    java="$INSTALL_JAVA"
elif java="$(command -v java)"; then
    :
else
    echo "error: devk8s needs Java 17 or newer, and there is no java in JAVA_HOME, at $INSTALL_JAVA or on PATH; install one (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless) or set JAVA_HOME" >&2
    exit 3
fi
jar="$DEVK8S_LIB/devk8s.jar"
# C1 only, one compiler thread (the JVM starts two: the second competes with the command on a small machine) and
# the serial GC start fastest for a short-lived CLI. Unified JVM logging goes to stderr at warning level, except the
# start-up archive's: a stale or foreign archive is simply not used, silently (Java 17 prints "Unable to use shared
# archive" to stdout).
opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr)
# (one compiler thread only with C1 alone: a JVM with more tiers refuses it, so not when DEVK8S_JAVA_OPTS sets them)
case "${DEVK8S_JAVA_OPTS:-}" in *Tiered*|*CICompilerCount*) ;; *) opts+=(-XX:CICompilerCount=1) ;; esac
# The start-up archive is made for one jar and one JDK: its name holds the JDK's version and folder (read from its
# release file, no extra process), and it is used only while it is newer than the jar. One per kind of command:
# a big archive slows a small command (Java 25+ loads everything in its AOT cache up front; Java 17 maps it all).
# AppCDS on Java 17-24, AOT caches on 25+. When none fits, one is made in the background (DEVK8S_NO_ARCHIVE=1: never).
# The kind of command: "cli" (no command, help, hosts: no template or Kubernetes classes; and the commands the
# background process runs, for which this JVM only passes the command on) or "full". The background process
# (DaemonClient) runs deploy, up, down, teardown, status and render, unless DEVK8S_DAEMON is off or the command
# line asks for help, the version or --verbose, or reads an @file: those run in this process.
kind="cli"
daemon=""
for arg in "$@"; do
    case "$arg" in
        -*|@*) ;;
        help|hosts) break ;;
        deploy|up|down|teardown|status|render) kind="full"; daemon="auto"; break ;;
        *) kind="full"; break ;;
    esac
done
if [ -n "$daemon" ]; then
    case "${DEVK8S_DAEMON:-}" in 0|[Ff][Aa][Ll][Ss][Ee]|[Nn][Oo]|[Oo][Ff][Ff]) daemon="" ;; esac
    for arg in "$@"; do
        # (-[!-]*[hVv]*: a cluster of short flags holding -h, -V or -v, as DaemonClient.served reads it)
        case "$arg" in --) break ;; --help|--version|--verbose|-[!-]*[hVv]*|@*) daemon="" ;; esac
    done
    [ -z "$daemon" ] || kind="cli"
fi
archive=""
if [ "$ARCHIVE" = "yes" ] && [ -z "${DEVK8S_NO_ARCHIVE:-}" ]; then
    real="$java"
    # a symlink (/usr/bin/java) is resolved without a process while it is the same file as at install time
    if [ -L "$real" ] && [ "$real" -ef "$INSTALL_JAVA_REAL" ]; then real="$INSTALL_JAVA_REAL"
    elif [ -L "$real" ]; then real="$(readlink -f -- "$java" 2>/dev/null)" || real="$java"; fi
    jdk="${real%/bin/java}"
    jdk_version=""
    if [ -r "$jdk/release" ]; then
        while IFS='=' read -r key value; do
            if [ "$key" = "JAVA_VERSION" ]; then jdk_version="${value//\"/}"; fi
        done <"$jdk/release"
    fi
    jdk_major="${jdk_version%%.*}"
    case "$jdk_major" in
        1[7-9]|2[0-4])
            archive="$DEVK8S_LIB/devk8s-$kind-$jdk_version${jdk//[^A-Za-z0-9.-]/_}.jsa"
            full="$DEVK8S_LIB/devk8s-full-$jdk_version${jdk//[^A-Za-z0-9.-]/_}.jsa"
            [ -z "$daemon" ] || [ ! "$full" -nt "$jar" ] || opts+=("-Ddevk8s.daemon.archive=-XX:SharedArchiveFile=$full")
            opts+=(-Xshare:auto)   # Java 25 refuses -Xshare next to its AOT options; it is the default anyway
            # map the archive where it was made instead of relocating every pointer in it (newer 17 updates
            # relocate by default: about 100 ms for the large archive); the JVM still relocates if that fails
            opts+=(-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0)
            ;;
        [2-9][0-9])
            archive="$DEVK8S_LIB/devk8s-$kind-$jdk_version${jdk//[^A-Za-z0-9.-]/_}.aot"
            full="$DEVK8S_LIB/devk8s-full-$jdk_version${jdk//[^A-Za-z0-9.-]/_}.aot"
            [ -z "$daemon" ] || [ ! "$full" -nt "$jar" ] || opts+=("-Ddevk8s.daemon.archive=-XX:AOTCache=$full")
            opts+=(-Xlog:aot*=off:stderr)
            ;;
    esac
fi
if [ -n "$archive" ] && [ "$archive" -nt "$jar" ]; then
    case "$archive" in
        *.jsa) opts+=("-XX:SharedArchiveFile=$archive") ;;
        *.aot) opts+=("-XX:AOTCache=$archive") ;;
    esac
elif [ -n "$archive" ] && [ -w "$DEVK8S_LIB" ]; then
    # none fits this jar and JDK: a training run in the background makes it for the next run, silently; this
    # run starts as it is (a complete archive is renamed into place, so a run never sees half of one)
    tmp="$archive.tmp$$"
    training=(io.devk8s.Devk8s training-run)
    case "$archive" in
        *.jsa) record=(-Xshare:auto "-XX:ArchiveClassesAtExit=$tmp") ;;
        *.aot) record=("-XX:AOTCacheOutput=$tmp" -Xlog:aot*=off) ;;
    esac
    # shellcheck disable=SC2086
    case "$archive" in *-cli-*) training=(io.devk8s.StartupTraining $CLI_TRAINING) ;; esac
    ( cd / && "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable "${record[@]}" -cp "$jar" \
          "${training[@]}" && [ -s "$tmp" ] && mv -f -- "$tmp" "$archive"
      rm -f -- "$tmp" "$tmp.config" ) </dev/null >/dev/null 2>&1 &
fi
[ -z "$daemon" ] || opts+=(-Ddevk8s.daemon=auto)
# a command the background process serves is passed on by the Python client when install.sh found a Python 3 that
# can (about 40 ms against a JVM's 110); it runs this same java command in its place whenever it cannot pass it on
if [ -n "$daemon" ] && [ -n "$PYTHON" ] && [ -z "${DEVK8S_JAVA_CLIENT:-}" ] && [ -r "$DEVK8S_LIB/devk8s-client.py" ] \
        && [ -x "$PYTHON" ]; then
    # shellcheck disable=SC2206
    cmd=("$java" "${opts[@]}" ${DEVK8S_JAVA_OPTS:-} -cp "$jar" io.devk8s.Devk8s)
    exec "$PYTHON" -I -S "$DEVK8S_LIB/devk8s-client.py" "$jar" "${jdk_major:-0}" "${#cmd[@]}" "${cmd[@]}" "$@"
fi
# shellcheck disable=SC2086
# -cp, not -jar: -jar opens the jar (26,000 entries) for its manifest; with the class path alone a command whose
# classes are all in the archive never opens it
exec "$java" "${opts[@]}" ${DEVK8S_JAVA_OPTS:-} -cp "$jar" io.devk8s.Devk8s "$@"
LAUNCHER
    fi
} >"$BIN.tmp"
chmod 755 "$BIN.tmp"
mv -f -- "$BIN.tmp" "$BIN"

# the start-up archive, made by the launcher itself: a training run through it records the archive for this jar
# and this JDK, one per kind of command (AppCDS on Java 17-24, AOT caches on Java 25+)
cds_status="not created (--no-cds)"
if [ "$KIND" = "jar" ] && [ "$CDS" = "yes" ]; then
    cds_status="not created (the training run failed; devk8s works without it, only starts slower)"
    train_dir="$(mktemp -d "${TMPDIR:-/tmp}/devk8s-install.XXXXXX")"
    archive_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable)
    # "full": `training-run` renders every command's help and renders and parses the stack as up does (no cluster,
    # no network); "cli" (help, hosts, --version): the command lines of CLI_TRAINING in one run
    trainings=("full:io.devk8s.Devk8s training-run" "full:io.devk8s.Devk8s render stack"
               "cli:io.devk8s.StartupTraining $CLI_TRAINING")
    made=()
    for training in "${trainings[@]}"; do
        kind="${training%%:*}"
        args="${training#*:}"
        case " ${made[*]-} " in *" $kind "*) continue ;; esac
        # the name the launcher looks for (see the launcher above)
        real="$(readlink -f -- "$JAVA" 2>/dev/null)" || real="$JAVA"
        jdk="${real%/bin/java}"
        jdk_version="$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$jdk/release" 2>/dev/null | head -n 1)"
        [ -n "$jdk_version" ] || { cds_status="not created (no release file in $jdk)"; break; }
        if [ "$java_major" -ge 25 ]; then
            archive="$LIB/devk8s-$kind-$jdk_version${jdk//[^A-Za-z0-9.-]/_}.aot"
            record=(-XX:AOTCacheOutput="$archive.tmp" -Xlog:aot*=off)
        else
            archive="$LIB/devk8s-$kind-$jdk_version${jdk//[^A-Za-z0-9.-]/_}.jsa"
            record=(-XX:ArchiveClassesAtExit="$archive.tmp" -Xlog:cds*=off)
        fi
        rm -f -- "$archive" "$archive.tmp"
        # shellcheck disable=SC2086
        if (cd "$train_dir" && "$JAVA" "${archive_opts[@]}" "${record[@]}" -cp "$LIB/devk8s.jar" $args \
                </dev/null >/dev/null 2>&1) && [ -s "$archive.tmp" ]; then
            mv -f -- "$archive.tmp" "$archive"
            installed+=("$archive")
            made+=("$kind")
        fi
        rm -f -- "$archive.tmp" "$archive.tmp.config"
    done
    rm -rf -- "$train_dir"
    if [ "${#made[@]}" -gt 0 ]; then
        if [ "$java_major" -ge 25 ]; then
            cds_status="created: AOT caches for Java $java_major (${made[*]})"
        else
            cds_status="created: AppCDS archives for Java $java_major (${made[*]})"
        fi
    fi
fi

# shell completion (bash, zsh): the committed scripts of the checkout, else the ones inside the installed devk8s
# (`devk8s completion bash|zsh` prints them from the jar or binary)
install_completion() {  # SHELL SOURCE_FILE TARGET
    local tmp="$3.tmp"
    make_dir "${3%/*}"
    if [ -f "$2" ]; then
        cp -- "$2" "$tmp" || return 1
    else
        "$BIN" completion "$1" </dev/null >"$tmp" 2>/dev/null && [ -s "$tmp" ] || { rm -f -- "$tmp"; return 1; }
    fi
    chmod 644 "$tmp" && mv -f -- "$tmp" "$3"
}
completion_status="not installed"
if install_completion bash "$SRC_DIR/completions/devk8s.bash" "$COMPLETION"; then
    completion_status="installed"
    installed+=("$COMPLETION")
fi
zsh_completion_status="not installed"
if install_completion zsh "$SRC_DIR/completions/_devk8s" "$ZSH_COMPLETION"; then
    zsh_completion_status="installed"
    installed+=("$ZSH_COMPLETION")
fi

# the manifest --uninstall reads
{
    for f in "${installed[@]}"; do printf 'file %s\n' "$f"; done
    # directories, each once, in creation order (parents first)
    seen=" "
    for d in ${created_dirs[@]+"${created_dirs[@]}"}; do
        case "$seen" in *" $d "*) ;; *) printf 'dir %s\n' "$d"; seen="$seen$d " ;; esac
    done
} >"$MANIFEST.tmp"
mv -f -- "$MANIFEST.tmp" "$MANIFEST"

# ---------------------------------------------------------------------------------------------------------------
version="$("$BIN" --version 2>&1)" || err "the installed $BIN does not run: $version"
info "installed ${version%%$'\n'*} ($KIND) to $BIN"
info "  start-up archive: $cds_status"
if [ "$KIND" = "jar" ]; then
    if [ -n "$PYTHON_CLIENT" ]; then
        info "  background process client: $PYTHON_CLIENT (commands passed on without starting a JVM)"
    else
        info "  background process client: the JVM (no Python 3.7+ with Unix sockets found; passing a command on takes longer)"
    fi
fi
if [ "$completion_status" = installed ]; then
    info "  bash completion: $COMPLETION"
    info "    bash-completion 2.9+ loads it in new shells once $PREFIX/bin is on PATH; without it, add to ~/.bashrc:"
    info "      source $COMPLETION"
else
    info "  bash completion: $completion_status"
fi
if [ "$zsh_completion_status" = installed ]; then
    info "  zsh completion: $ZSH_COMPLETION"
    if command -v zsh >/dev/null 2>&1 \
            && zsh -fc 'print -rl -- $fpath' 2>/dev/null | grep -qxF -- "${ZSH_COMPLETION%/*}"; then
        info "    zsh finds it in new shells (its folder is on zsh's default fpath)"
    else
        info "    add to ~/.zshrc, before compinit runs:"
        info "      fpath=(${ZSH_COMPLETION%/*} \$fpath)"
        info "      autoload -Uz compinit && compinit"
    fi
else
    info "  zsh completion: $zsh_completion_status"
fi
case ":$PATH:" in
    *":$PREFIX/bin:"*) ;;
    *)
        rc="$HOME/.bashrc"
        line="export PATH=\"$PREFIX/bin:\$PATH\""
        case "${SHELL##*/}" in
            zsh) rc="${ZDOTDIR:-$HOME}/.zshrc" ;;
            fish) rc="$HOME/.config/fish/config.fish"; line="fish_add_path $PREFIX/bin" ;;
        esac
        info ""
        info "$PREFIX/bin is not on your PATH. Add this line to $rc, then open a new shell:"
        info "  $line"
        ;;
esac
