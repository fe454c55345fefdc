# bash completion for devk8s                                              -*- shell-script -*-
#
# Generated from devk8s's commands by CompletionScriptTest; do not edit. Enable it with
#   source <(devk8s completion bash)                       (this shell; or add the line to ~/.bashrc)
# or install it as ~/.local/share/bash-completion/completions/devk8s (install.sh does, under its prefix).
# Commands and flags are listed here; apps of devk8s.yaml, minikube profiles and kube contexts are read
# from their files when you press Tab, without starting Java.

# The helpers set REPLY or print, and fork only to run awk: completing must stay instant.

# __devk8s_names KEY FILE...: prints the name: of each item of the top-level list KEY: in YAML files;
# fails when they hold none
__devk8s_names() {
    local key="$1" f found=1
    shift
    for f in "$@"; do
        [ -f "$f" ] && [ -r "$f" ] || continue
        awk -v key="$key" '
        function emit(v) {
            sub(/^[ \t]+/, "", v); sub(/[ \t]+#.*$/, "", v); sub(/[ \t]+$/, "", v)
            if (v ~ /^".*"$/ || v ~ /^\047.*\047$/) v = substr(v, 2, length(v) - 2)
            if (v != "") { print v; printed = 1 }
        }
        function flow(s,   m) {
            while (match(s, /name:[ \t]*[^,}\] \t]+/)) {
                m = substr(s, RSTART, RLENGTH); sub(/^name:[ \t]*/, "", m); emit(m)
                s = substr(s, RSTART + RLENGTH)
            }
        }
        { sub(/\r$/, "") }
        $0 ~ "^" key ":" {
            inside = 1; dash = -1; col = -1; rest = $0; sub("^" key ":[ \t]*", "", rest)
            if (rest ~ /^\[/) { flow(rest); inside = 0 }
            next
        }
        inside && /^[^ \t#-]/ { inside = 0 }
        !inside { next }
        /^[ \t]*-([ \t]|$)/ {
            match($0, /^[ \t]*/)
            if (dash < 0) dash = RLENGTH
            if (RLENGTH != dash) next
            match($0, /^[ \t]*-[ \t]*/); col = RLENGTH; rest = substr($0, RLENGTH + 1)
            if (rest ~ /^\{/) flow(rest)
            else if (rest ~ /^name:/) { sub(/^name:/, "", rest); emit(rest) }
            next
        }
        /^[ \t]*name:/ {
            match($0, /^[ \t]*/)
            if (RLENGTH == col) { rest = $0; sub(/^[ \t]*name:/, "", rest); emit(rest) }
        }
        END { exit printed ? 0 : 1 }
        ' "$f" 2>/dev/null && found=0
    done
    return $found
}

# __devk8s_project_file [FILE]: REPLY=the project file: FILE (-f; a folder means its devk8s.yaml), else
# devk8s.yaml in this folder or the nearest parent, else nothing
__devk8s_project_file() {
    local f="$1" d
    REPLY=''
    case "$f" in '~') f="$HOME" ;; '~/'*) f="$HOME/${f#'~/'}" ;; esac
    if [ -n "$f" ]; then
        [ ! -d "$f" ] || f="$f/devk8s.yaml"
        REPLY="$f"
        return 0
    fi
    d="$PWD"
    while [ -n "$d" ]; do
        if [ -f "$d/devk8s.yaml" ]; then REPLY="$d/devk8s.yaml"; return 0; fi
        d="${d%/*}"
    done
    [ ! -f /devk8s.yaml ] || REPLY=/devk8s.yaml
}

# __devk8s_minikube_home: REPLY=minikube's folder ($MINIKUBE_HOME, with .minikube appended unless it
# ends so, else ~/.minikube)
__devk8s_minikube_home() {
    REPLY="${MINIKUBE_HOME:-$HOME}"
    REPLY="${REPLY%/}"
    case "$REPLY" in */.minikube|.minikube) ;; *) REPLY="$REPLY/.minikube" ;; esac
}

# __devk8s_context_names [KUBECONFIG]: prints the contexts of that file, else of $KUBECONFIG's files,
# else of ~/.kube/config; asks kubectl only when awk finds none in files that exist (a JSON kubeconfig)
__devk8s_context_names() {
    local files="${1:-${KUBECONFIG:-$HOME/.kube/config}}" rest f found=1 exists=''
    case "$files" in '~/'*) files="$HOME/${files#'~/'}" ;; esac
    # a colon-separated list, split without relying on word splitting (zsh has none)
    rest="$files"
    while [ -n "$rest" ]; do
        f="${rest%%:*}"
        case "$rest" in *:*) rest="${rest#*:}" ;; *) rest='' ;; esac
        [ ! -f "$f" ] || exists=1
        __devk8s_names contexts "$f" && found=0
    done
    if [ "$found" -ne 0 ] && [ -n "$exists" ] && command -v kubectl >/dev/null 2>&1; then
        KUBECONFIG="$files" kubectl config get-contexts -o name 2>/dev/null
    fi
    return 0
}

# __devk8s_subcommands CMD: REPLY=the subcommands of CMD ("" is devk8s itself)
__devk8s_subcommands() {
    REPLY=''
    case "$1" in
        '') REPLY='up status down init deploy dev logs shell teardown render hosts doctor completion daemon help' ;;
        'render') REPLY='stack' ;;
        'hosts') REPLY='show apply remove' ;;
        'daemon') REPLY='status stop' ;;
    esac
}

# __devk8s_options CMD: REPLY=the options of CMD
__devk8s_options() {
    REPLY=''
    case "$1" in
        '') REPLY='-v --verbose -q --quiet --no-color -h --help -V --version' ;;
        'up') REPLY='-p --profile --context --allow-context --minikube --kubeconfig --start --minikube-arg -n --namespace --domain --set --components --templates --node-port --wait --timeout --hosts-file --no-hosts --no-sudo --force --dry-run -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'status') REPLY='-o --output -n --namespace -p --profile --context --allow-context --minikube --kubeconfig --hosts-file --show-credentials -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'down') REPLY='--keep-data -n --namespace --dry-run -p --profile --context --allow-context --minikube --kubeconfig --hosts-file --no-hosts --no-sudo --timeout -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'init') REPLY='--grpc -f --file --force --dry-run -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'deploy') REPLY='-p --profile --context --allow-context --minikube --kubeconfig -f --file -n --namespace --no-build --tag --build-arg --wait --timeout --dry-run --hosts-file --no-hosts --no-sudo --target --registry -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'dev') REPLY='-p --profile --context --allow-context --minikube --kubeconfig -f --file -n --namespace --build-arg --wait --timeout --poll --cleanup --hosts-file --no-hosts --no-sudo -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'logs') REPLY='-f --follow --since --tail -l --selector --timestamps --file -n --namespace -p --profile --context --allow-context --minikube --kubeconfig -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'shell') REPLY='--image --name --dry-run --reuse --rm --timeout -f --file -n --namespace -p --profile --context --allow-context --minikube --kubeconfig -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'teardown') REPLY='-l --selector --all -A --all-namespaces --keep-data --dry-run --wait --timeout -f --file -n --namespace -p --profile --context --allow-context --minikube --kubeconfig --hosts-file --no-hosts --no-sudo -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'render') REPLY='-h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'render stack') REPLY='-n --namespace --domain --set --components --templates --out -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'hosts') REPLY='-h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'hosts show') REPLY='--hosts-file -p --profile -o --output -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'hosts apply') REPLY='--hosts-file -p --profile --ip -d --domain --host --no-sudo --minikube --dry-run -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'hosts remove') REPLY='--hosts-file -p --profile --no-sudo --dry-run -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'doctor') REPLY='-p --profile --context --allow-context --minikube --kubeconfig --hosts-file -o --output -h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'completion') REPLY='-h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'daemon') REPLY='-h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'daemon status') REPLY='-h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'daemon stop') REPLY='-h --help -V --version -v --verbose -q --quiet --no-color' ;;
        'help') REPLY='-h --help -v --verbose -q --quiet --no-color' ;;
    esac
}

# __devk8s_value CMD OPTION: REPLY=what OPTION's value is (empty for a flag): profile, context,
# component, file, dir, 'choice WORD...' or value
__devk8s_value() {
    REPLY=''
    case "$1" in
        'up')
            case "$2" in
                -p|--profile) REPLY='profile' ;;
                --context|--allow-context) REPLY='context' ;;
                --minikube|--kubeconfig|--hosts-file) REPLY='file' ;;
                --minikube-arg|-n|--namespace|--domain|--set|--node-port|--timeout) REPLY='value' ;;
                --components) REPLY='component' ;;
                --templates) REPLY='dir' ;;
            esac ;;
        'status')
            case "$2" in
                -o|--output) REPLY='choice text json yaml' ;;
                -n|--namespace) REPLY='value' ;;
                -p|--profile) REPLY='profile' ;;
                --context|--allow-context) REPLY='context' ;;
                --minikube|--kubeconfig|--hosts-file) REPLY='file' ;;
            esac ;;
        'down')
            case "$2" in
                -n|--namespace|--timeout) REPLY='value' ;;
                -p|--profile) REPLY='profile' ;;
                --context|--allow-context) REPLY='context' ;;
                --minikube|--kubeconfig|--hosts-file) REPLY='file' ;;
            esac ;;
        'init')
            case "$2" in
                -f|--file) REPLY='file' ;;
            esac ;;
        'deploy')
            case "$2" in
                -p|--profile) REPLY='profile' ;;
                --context|--allow-context) REPLY='context' ;;
                --minikube|--kubeconfig|-f|--file|--hosts-file) REPLY='file' ;;
                -n|--namespace|--tag|--build-arg|--timeout|--registry) REPLY='value' ;;
                --target) REPLY='choice minikube kind k3d docker registry' ;;
            esac ;;
        'dev')
            case "$2" in
                -p|--profile) REPLY='profile' ;;
                --context|--allow-context) REPLY='context' ;;
                --minikube|--kubeconfig|-f|--file|--hosts-file) REPLY='file' ;;
                -n|--namespace|--build-arg|--timeout|--poll) REPLY='value' ;;
            esac ;;
        'logs')
            case "$2" in
                --since|--tail|-l|--selector|-n|--namespace) REPLY='value' ;;
                --file|--minikube|--kubeconfig) REPLY='file' ;;
                -p|--profile) REPLY='profile' ;;
                --context|--allow-context) REPLY='context' ;;
            esac ;;
        'shell')
            case "$2" in
                --image|--name|--timeout|-n|--namespace) REPLY='value' ;;
                -f|--file|--minikube|--kubeconfig) REPLY='file' ;;
                -p|--profile) REPLY='profile' ;;
                --context|--allow-context) REPLY='context' ;;
            esac ;;
        'teardown')
            case "$2" in
                -l|--selector|--timeout|-n|--namespace) REPLY='value' ;;
                -f|--file|--minikube|--kubeconfig|--hosts-file) REPLY='file' ;;
                -p|--profile) REPLY='profile' ;;
                --context|--allow-context) REPLY='context' ;;
            esac ;;
        'render stack')
            case "$2" in
                -n|--namespace|--domain|--set) REPLY='value' ;;
                --components) REPLY='component' ;;
                --templates|--out) REPLY='dir' ;;
            esac ;;
        'hosts show')
            case "$2" in
                --hosts-file) REPLY='file' ;;
                -p|--profile) REPLY='profile' ;;
                -o|--output) REPLY='choice text json yaml' ;;
            esac ;;
        'hosts apply')
            case "$2" in
                --hosts-file|--minikube) REPLY='file' ;;
                -p|--profile) REPLY='profile' ;;
                --ip|-d|--domain|--host) REPLY='value' ;;
            esac ;;
        'hosts remove')
            case "$2" in
                --hosts-file) REPLY='file' ;;
                -p|--profile) REPLY='profile' ;;
            esac ;;
        'doctor')
            case "$2" in
                -p|--profile) REPLY='profile' ;;
                --context|--allow-context) REPLY='context' ;;
                --minikube|--kubeconfig|--hosts-file) REPLY='file' ;;
                -o|--output) REPLY='choice text json yaml' ;;
            esac ;;
    esac
}

# __devk8s_operand CMD N: REPLY=what CMD's operand number N (from 0) is: app, command,
# 'choice WORD...' or value
__devk8s_operand() {
    REPLY=''
    case "$1" in
        'init') if [ "$2" -ge 0 ] && [ "$2" -le 0 ]; then REPLY='value'; fi ;;
        'deploy') if [ "$2" -ge 0 ]; then REPLY='app'; fi ;;
        'dev') if [ "$2" -ge 0 ]; then REPLY='app'; fi ;;
        'logs') if [ "$2" -ge 0 ]; then REPLY='app'; fi ;;
        'shell') if [ "$2" -ge 0 ]; then REPLY='command'; fi ;;
        'completion') if [ "$2" -ge 0 ] && [ "$2" -le 0 ]; then REPLY='choice bash zsh'; fi ;;
        'help') if [ "$2" -ge 0 ] && [ "$2" -le 0 ]; then REPLY='choice up status down init deploy dev logs shell teardown render hosts doctor completion daemon help'; fi ;;
    esac
    return 0
}

# __devk8s_reply WORDS: offers the lines of WORDS that start with $cur, except the operands already given
__devk8s_reply() {
    local line prefix=''
    COMPREPLY=()
    while IFS= read -r line; do
        [ -n "$line" ] && [[ "$line" == "$cur"* ]] || continue
        [[ $'\n'"$given" != *$'\n'"$line"$'\n'* ]] || continue
        COMPREPLY+=("$line")
    done <<<"$1"
    # bash splits words at ':' and '=': offer only the part after the last one (like __ltrim_colon_completions)
    if [[ "$cur" == *[:=]* ]]; then
        case "$cur" in *:*) [[ "$COMP_WORDBREAKS" == *:* ]] && prefix="${cur%"${cur##*:}"}" ;; esac
        case "$cur" in *=*) [[ "$COMP_WORDBREAKS" == *=* ]] && [ ${#prefix} -lt $(( ${#cur} - ${#cur##*=} )) ] \
            && prefix="${cur%"${cur##*=}"}" ;; esac
        local i
        for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]="${COMPREPLY[i]#"$prefix"}"; done
    fi
}

# __devk8s_complete KIND [WORDS]: completes the current word as a value of KIND, also offering WORDS
__devk8s_complete() {
    local IFS=$' \t\n' list='' c
    case "$1" in
        profile)
            local d
            __devk8s_minikube_home
            for d in "$REPLY"/profiles/*/config.json; do
                [ -f "$d" ] || continue
                d="${d%/config.json}"
                list+="${d##*/}"$'\n'
            done ;;
        context) list="$(__devk8s_context_names "$kubeconfig")" ;;
        app)
            __devk8s_project_file "$project"
            [ -z "$REPLY" ] || list="$(__devk8s_names apps "$REPLY")" ;;
        component)
            # a comma-separated list: complete the last name, leave out those already given
            local head='' last="$cur"
            case "$cur" in *,*) head="${cur%,*},"; last="${cur##*,}" ;; esac
            COMPREPLY=()
            for c in traefik prometheus grafana jaeger; do
                case ",$head" in *",$c,"*) continue ;; esac
                [[ "$c" == "$last"* ]] && COMPREPLY+=("$head$c")
            done
            compopt -o nospace 2>/dev/null
            return 0 ;;
        file|dir)
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            if [ "$1" = dir ]; then COMPREPLY=($(compgen -d -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
            return 0 ;;
        command)
            local IFS=$'\n'
            if [ "$n" -eq 0 ]; then COMPREPLY=($(compgen -c -- "$cur")); else
                compopt -o filenames 2>/dev/null
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            return 0 ;;
        choice\ *) for c in ${1#choice }; do list+="$c"$'\n'; done ;;
    esac
    __devk8s_reply "$list${2:+$'\n'$2}"
}

_devk8s() {
    local cur prev words cword REPLY
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        # bash-completion: words as typed, not split at '=' and ':' (context names hold colons)
        _get_comp_words_by_ref -n =: cur prev words cword
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur="${COMP_WORDS[COMP_CWORD]}"
        prev="${COMP_WORDS[COMP_CWORD-1]}"
    fi
    COMPREPLY=()
    # walk the words before the cursor: the subcommand, the operands given, -f/--file and --kubeconfig
    local cmd='' word opt kind value n=0 i=1 operands='' given=$'\n' project='' kubeconfig=''
    while [ "$i" -lt "$cword" ]; do
        word="${words[i]}"
        if [ -n "$operands" ]; then
            n=$((n + 1))
        elif [ "$word" = -- ]; then
            operands=1
        elif [[ "$word" == -?* ]]; then
            opt="${word%%=*}"
            __devk8s_value "$cmd" "$opt"
            if [ -n "$REPLY" ]; then
                if [[ "$word" == *=* ]]; then
                    value="${word#*=}"
                else
                    i=$((i + 1))
                    [ "${words[i]}" != = ] || i=$((i + 1))
                    value="${words[i]}"
                fi
                case "$opt" in -f|--file) project="$value" ;; --kubeconfig) kubeconfig="$value" ;; esac
            fi
        else
            __devk8s_subcommands "$cmd"
            if [ "$n" -eq 0 ] && [[ " $REPLY " == *" $word "* ]]; then
                cmd="${cmd:+$cmd }$word"
            else
                n=$((n + 1))
                given+="$word"$'\n'
            fi
        fi
        i=$((i + 1))
    done

    # the value of an option: --opt VALUE, --opt=VALUE (one word, or three when '=' breaks words)
    if [ -z "$operands" ]; then
        opt=''
        if [[ "$cur" == --*=* ]]; then
            opt="${cur%%=*}"
        elif [ "$prev" = = ] && [ "$cword" -ge 2 ]; then
            opt="${words[cword-2]}"
        elif [[ "$prev" == -?* ]]; then
            opt="$prev"
        fi
        if [ -n "$opt" ]; then
            __devk8s_value "$cmd" "$opt"
            kind="$REPLY"
            if [ -n "$kind" ]; then
                # --opt=VALUE in one word: complete VALUE (the reply keeps --opt= when '=' breaks no words)
                if [[ "$cur" == --*=* ]] && [[ "$COMP_WORDBREAKS" == *=* ]]; then cur="${cur#*=}"; fi
                [ "$kind" = value ] || __devk8s_complete "$kind"
                return 0
            fi
        fi
        if [[ "$cur" == -* ]]; then
            __devk8s_options "$cmd"
            __devk8s_reply "${REPLY// /$'\n'}"
            return 0
        fi
    fi

    local subcommands=''
    if [ "$n" -eq 0 ] && [ -z "$operands" ]; then
        __devk8s_subcommands "$cmd"
        subcommands="${REPLY// /$'\n'}"
    fi
    __devk8s_operand "$cmd" "$n"
    if [ -n "$REPLY" ] && [ "$REPLY" != value ]; then
        __devk8s_complete "$REPLY" "$subcommands"
    else
        __devk8s_reply "$subcommands"
    fi
    return 0
}

complete -F _devk8s devk8s
