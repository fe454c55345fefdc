package io.devk8s.cli;

import io.devk8s.service.StackCatalog;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the bash and zsh completion scripts of {@code completions/} from the picocli command model: every visible
 * command, its options (with their descriptions in zsh) and what each option's value and each operand is. The
 * values that depend on the user's files are left to small shell functions that read those files when Tab is
 * pressed, so completing never starts a JVM:
 * <ul>
 *   <li>{@code app}: the {@code name:} of each item of {@code apps:} in devk8s.yaml ({@code -f/--file}, else the
 *       nearest one upwards), read with awk;</li>
 *   <li>{@code profile}: the folders of {@code <minikube home>/profiles} holding a {@code config.json};</li>
 *   <li>{@code context}: the {@code name:} of each item of {@code contexts:} in the kubeconfig files
 *       ({@code --kubeconfig}, else {@code $KUBECONFIG}, else {@code ~/.kube/config}), read with awk, with
 *       {@code kubectl config get-contexts -o name} when awk finds none (a JSON kubeconfig);</li>
 *   <li>{@code component}: the stack's components, comma-separated ({@link StackCatalog#COMPONENT_NAMES}).</li>
 * </ul>
 * picocli's own {@code AutoComplete} writes bash only and completes no values of String options, so both scripts
 * are written here. Regenerate with {@code mvn -q test -Dtest=CompletionScriptTest -Ddevk8s.writeCompletions=true}.
 */
final class CompletionScripts {

    private CompletionScripts() {}

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._/=+-]+");

    /** One visible command of the tree: its path below the root ("" for the root, "hosts show"). */
    record Cmd(String path, CommandSpec spec, List<Cmd> children) {
        String zshFunction() {
            return path.isEmpty() ? "_devk8s" : "_devk8s_" + path.replaceAll("[^A-Za-z0-9]+", "_");
        }

        String name() {
            return spec.name();
        }
    }

    static Cmd tree(CommandSpec root) {
        return tree("", root);
    }

    private static Cmd tree(String path, CommandSpec spec) {
        List<Cmd> children = new ArrayList<>();
        Map<CommandSpec, Boolean> seen = new IdentityHashMap<>();
        for (CommandLine sub : spec.subcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            if (s.usageMessage().hidden() || seen.put(s, Boolean.TRUE) != null) {
                continue;
            }
            children.add(tree(path.isEmpty() ? s.name() : path + " " + s.name(), s));
        }
        return new Cmd(path, spec, children);
    }

    private static List<Cmd> all(Cmd cmd) {
        List<Cmd> out = new ArrayList<>();
        out.add(cmd);
        cmd.children().forEach(c -> out.addAll(all(c)));
        return out;
    }

    private static List<OptionSpec> options(Cmd cmd) {
        return cmd.spec().options().stream().filter(o -> !o.hidden()).toList();
    }

    /** What an option's value is: null for a flag; profile, context, component, file, dir, "choice a b", value. */
    static String valueKind(OptionSpec o) {
        if (o.arity().max() == 0) {
            return null;
        }
        switch (o.longestName()) {
            case "--profile":
                return "profile";
            case "--context":
            case "--allow-context":
                return "context";
            case "--components":
                return "component";
            default:
                break;
        }
        String choices = choices(o.completionCandidates());
        if (choices != null) {
            return choices;
        }
        return switch (o.paramLabel()) {
            case "PATH", "FILE" -> "file";
            case "DIR" -> "dir";
            default -> "value";
        };
    }

    /** What an operand is: app, command (a program and its arguments), a choice, or value. */
    static String operandKind(Cmd cmd, PositionalParamSpec p, Cmd root) {
        if (p.paramLabel().equals("APP")) {
            return "app";
        }
        if (p.paramLabel().equals("CMD")) {
            return "command";
        }
        if (cmd.spec().userObject() instanceof CommandLine.HelpCommand) {
            return "choice " + root.children().stream().map(Cmd::name).collect(Collectors.joining(" "));
        }
        String choices = choices(p.completionCandidates());
        return choices != null ? choices : "value";
    }

    private static String choices(Iterable<String> candidates) {
        if (candidates == null) {
            return null;
        }
        List<String> words = new ArrayList<>();
        for (String c : candidates) {
            if (!WORD.matcher(c).matches()) {
                throw new IllegalStateException("completion candidate needs quoting, not supported: " + c);
            }
            words.add(c);
        }
        return words.isEmpty() ? null : "choice " + String.join(" ", words);
    }

    /** The first sentence of a description, with picocli's variables that help rendering would fill in. */
    private static String describe(String[] description, Iterable<String> candidates) {
        if (description == null || description.length == 0) {
            return "";
        }
        String text = description[0];
        if (candidates != null && text.contains("${COMPLETION-CANDIDATES}")) {
            List<String> words = new ArrayList<>();
            candidates.forEach(words::add);
            text = text.replace("${COMPLETION-CANDIDATES}", String.join(", ", words));
        }
        text = text.replaceAll("\\$\\{[A-Z-]+}", "").replaceAll("\\s+", " ").strip();
        // the first sentence: up to the first ". " that does not end an abbreviation such as "e.g."
        java.util.regex.Matcher end = Pattern.compile("(?<!\\be\\.g|\\bi\\.e)\\. ").matcher(text);
        return end.find() ? text.substring(0, end.start() + 1) : text;
    }

    private static String header(Cmd cmd) {
        String[] header = cmd.spec().usageMessage().header();
        return describe(header.length > 0 ? header : cmd.spec().usageMessage().description(), null);
    }

    private static String bashQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    // -------------------------------------------------------------------------------------------------------------
    // helpers both scripts share: plain POSIX shell and awk (mawk, gawk and BSD awk alike)

    /** Prints the name: of each item of the top-level list KEY: of YAML files (block or flow style). */
    static final String NAMES_AWK = """
            function emit(v) {
                sub(/^[ \\t]+/, "", v); sub(/[ \\t]+#.*$/, "", v); sub(/[ \\t]+$/, "", v)
                if (v ~ /^".*"$/ || v ~ /^\\047.*\\047$/) v = substr(v, 2, length(v) - 2)
                if (v != "") { print v; printed = 1 }
            }
            function flow(s,   m) {
                while (match(s, /name:[ \\t]*[^,}\\] \\t]+/)) {
                    m = substr(s, RSTART, RLENGTH); sub(/^name:[ \\t]*/, "", m); emit(m)
                    s = substr(s, RSTART + RLENGTH)
                }
            }
            { sub(/\\r$/, "") }
            $0 ~ "^" key ":" {
                inside = 1; dash = -1; col = -1; rest = $0; sub("^" key ":[ \\t]*", "", rest)
                if (rest ~ /^\\[/) { flow(rest); inside = 0 }
                next
            }
            inside && /^[^ \\t#-]/ { inside = 0 }
            !inside { next }
            /^[ \\t]*-([ \\t]|$)/ {
                match($0, /^[ \\t]*/)
                if (dash < 0) dash = RLENGTH
                if (RLENGTH != dash) next
                match($0, /^[ \\t]*-[ \\t]*/); col = RLENGTH; rest = substr($0, RLENGTH + 1)
                if (rest ~ /^\\{/) flow(rest)
                else if (rest ~ /^name:/) { sub(/^name:/, "", rest); emit(rest) }
                next
            }
            /^[ \\t]*name:/ {
                match($0, /^[ \\t]*/)
                if (RLENGTH == col) { rest = $0; sub(/^[ \\t]*name:/, "", rest); emit(rest) }
            }
            END { exit printed ? 0 : 1 }
            """;

    static String sharedHelpers() {
        if (NAMES_AWK.contains("'")) {
            throw new IllegalStateException("the awk program is single-quoted in the scripts");
        }
        return """
                # The helpers set REPLY or print, and fork only to run awk: completing must stay instant.

                # __devk8s_names KEY FILE...: prints the name: of each item of the top-level list KEY: in YAML files;
                # fails when they hold none
                __devk8s_names() {
                    local key="$1" f found=1
                    shift
                    for f in "$@"; do
                        [ -f "$f" ] && [ -r "$f" ] || continue
                        awk -v key="$key" '
                """ + NAMES_AWK.indent(8) + """
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
                """;
    }

    // -------------------------------------------------------------------------------------------------------------
    // bash

    static String bash(CommandSpec rootSpec) {
        Cmd root = tree(rootSpec);
        StringBuilder b = new StringBuilder();
        b.append("""
                # bash completion for devk8s                                              -*- shell-script -*-
                #
                # Generated from devk8s's commands by CompletionScriptTest; do not edit. Enable it with
                #   source <(devk8s completion bash)                       (this shell; or add the line to ~/.bashrc)
                # or install it as ~/.local/share/bash-completion/completions/devk8s (install.sh does, under its prefix).
                # Commands and flags are listed here; apps of devk8s.yaml, minikube profiles and kube contexts are read
                # from their files when you press Tab, without starting Java.

                """);
        b.append(sharedHelpers()).append('\n');

        b.append("# __devk8s_subcommands CMD: REPLY=the subcommands of CMD (\"\" is devk8s itself)\n");
        b.append("__devk8s_subcommands() {\n    REPLY=''\n    case \"$1\" in\n");
        for (Cmd c : all(root)) {
            if (!c.children().isEmpty()) {
                b.append("        ").append(bashQuote(c.path())).append(") REPLY=")
                        .append(bashQuote(c.children().stream().map(Cmd::name).collect(Collectors.joining(" "))))
                        .append(" ;;\n");
            }
        }
        b.append("    esac\n}\n\n");

        b.append("# __devk8s_options CMD: REPLY=the options of CMD\n");
        b.append("__devk8s_options() {\n    REPLY=''\n    case \"$1\" in\n");
        for (Cmd c : all(root)) {
            List<String> names = new ArrayList<>();
            options(c).forEach(o -> names.addAll(List.of(o.names())));
            b.append("        ").append(bashQuote(c.path())).append(") REPLY=")
                    .append(bashQuote(String.join(" ", names))).append(" ;;\n");
        }
        b.append("    esac\n}\n\n");

        b.append("# __devk8s_value CMD OPTION: REPLY=what OPTION's value is (empty for a flag): profile, context,\n")
                .append("# component, file, dir, 'choice WORD...' or value\n");
        b.append("__devk8s_value() {\n    REPLY=''\n    case \"$1\" in\n");
        for (Cmd c : all(root)) {
            Map<String, List<String>> byKind = new LinkedHashMap<>();
            for (OptionSpec o : options(c)) {
                String kind = valueKind(o);
                if (kind != null) {
                    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(List.of(o.names()));
                }
            }
            if (byKind.isEmpty()) {
                continue;
            }
            b.append("        ").append(bashQuote(c.path())).append(")\n            case \"$2\" in\n");
            byKind.forEach((kind, names) -> b.append("                ").append(String.join("|", names))
                    .append(") REPLY=").append(bashQuote(kind)).append(" ;;\n"));
            b.append("            esac ;;\n");
        }
        b.append("    esac\n}\n\n");

        b.append("# __devk8s_operand CMD N: REPLY=what CMD's operand number N (from 0) is: app, command,\n")
                .append("# 'choice WORD...' or value\n");
        b.append("__devk8s_operand() {\n    REPLY=''\n    case \"$1\" in\n");
        for (Cmd c : all(root)) {
            List<String> tests = new ArrayList<>();
            for (PositionalParamSpec p : c.spec().positionalParameters()) {
                if (p.hidden()) {
                    continue;
                }
                String kind = bashQuote(operandKind(c, p, root));
                int min = p.index().min();
                int max = p.index().max();
                String cond = max == Integer.MAX_VALUE || p.index().isUnspecified()
                        ? "[ \"$2\" -ge " + min + " ]"
                        : "[ \"$2\" -ge " + min + " ] && [ \"$2\" -le " + max + " ]";
                tests.add("if " + cond + "; then REPLY=" + kind + "; fi");
            }
            if (!tests.isEmpty()) {
                b.append("        ").append(bashQuote(c.path())).append(") ")
                        .append(String.join("; ", tests)).append(" ;;\n");
            }
        }
        b.append("    esac\n    return 0\n}\n\n");

        b.append(BASH_MAIN.replace("@COMPONENTS@", String.join(" ", StackCatalog.COMPONENT_NAMES)));
        return b.toString();
    }

    private static final String BASH_MAIN = """
            # __devk8s_reply WORDS: offers the lines of WORDS that start with $cur, except the operands already given
            __devk8s_reply() {
                local line prefix=''
                COMPREPLY=()
                while IFS= read -r line; do
                    [ -n "$line" ] && [[ "$line" == "$cur"* ]] || continue
                    [[ $'\\n'"$given" != *$'\\n'"$line"$'\\n'* ]] || continue
                    COMPREPLY+=("$line")
                done <<<"$1"
                # bash splits words at ':' and '=': offer only the part after the last one (like __ltrim_colon_completions)
                if [[ "$cur" == *[:=]* ]]; then
                    case "$cur" in *:*) [[ "$COMP_WORDBREAKS" == *:* ]] && prefix="${cur%"${cur##*:}"}" ;; esac
                    case "$cur" in *=*) [[ "$COMP_WORDBREAKS" == *=* ]] && [ ${#prefix} -lt $(( ${#cur} - ${#cur##*=} )) ] \\
                        && prefix="${cur%"${cur##*=}"}" ;; esac
                    local i
                    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]="${COMPREPLY[i]#"$prefix"}"; done
                fi
            }

            # __devk8s_complete KIND [WORDS]: completes the current word as a value of KIND, also offering WORDS
            __devk8s_complete() {
                local IFS=$' \\t\\n' list='' c
                case "$1" in
                    profile)
                        local d
                        __devk8s_minikube_home
                        for d in "$REPLY"/profiles/*/config.json; do
                            [ -f "$d" ] || continue
                            d="${d%/config.json}"
                            list+="${d##*/}"$'\\n'
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
                        for c in @COMPONENTS@; do
                            case ",$head" in *",$c,"*) continue ;; esac
                            [[ "$c" == "$last"* ]] && COMPREPLY+=("$head$c")
                        done
                        compopt -o nospace 2>/dev/null
                        return 0 ;;
                    file|dir)
                        compopt -o filenames 2>/dev/null
                        local IFS=$'\\n'
                        if [ "$1" = dir ]; then COMPREPLY=($(compgen -d -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
                        return 0 ;;
                    command)
                        local IFS=$'\\n'
                        if [ "$n" -eq 0 ]; then COMPREPLY=($(compgen -c -- "$cur")); else
                            compopt -o filenames 2>/dev/null
                            COMPREPLY=($(compgen -f -- "$cur"))
                        fi
                        return 0 ;;
                    choice\\ *) for c in ${1#choice }; do list+="$c"$'\\n'; done ;;
                esac
                __devk8s_reply "$list${2:+$'\\n'$2}"
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
                local cmd='' word opt kind value n=0 i=1 operands='' given=$'\\n' project='' kubeconfig=''
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
                            given+="$word"$'\\n'
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
                        __devk8s_reply "${REPLY// /$'\\n'}"
                        return 0
                    fi
                fi

                local subcommands=''
                if [ "$n" -eq 0 ] && [ -z "$operands" ]; then
                    __devk8s_subcommands "$cmd"
                    subcommands="${REPLY// /$'\\n'}"
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
            """;

    // -------------------------------------------------------------------------------------------------------------
    // zsh

    static String zsh(CommandSpec rootSpec) {
        Cmd root = tree(rootSpec);
        StringBuilder z = new StringBuilder();
        z.append("""
                #compdef devk8s
                #
                # zsh completion for devk8s. Generated from devk8s's commands by CompletionScriptTest; do not edit.
                # Enable it by putting this file, named _devk8s, in a folder of $fpath before compinit runs, e.g. in ~/.zshrc:
                #   fpath=(~/.local/share/zsh/site-functions $fpath)     (install.sh puts it there, under its prefix)
                #   autoload -Uz compinit && compinit
                # or, after compinit, for this shell only: source <(devk8s completion zsh)
                # Commands and flags are listed here; apps of devk8s.yaml, minikube profiles and kube contexts are read
                # from their files when you press Tab, without starting Java.

                """);
        z.append(sharedHelpers()).append('\n');
        z.append(ZSH_VALUES.replace("@COMPONENTS@", String.join(" ", StackCatalog.COMPONENT_NAMES)));
        List<Cmd> cmds = all(root);
        // the root last: autoloading runs this file as the body of _devk8s, which then defines the real one
        for (int i = cmds.size() - 1; i >= 0; i--) {
            z.append('\n').append(zshFunction(cmds.get(i), root));
        }
        z.append("""

                if [ "$funcstack[1]" = "_devk8s" ]; then
                    _devk8s "$@"   # autoloaded from $fpath: complete the word this first call was made for
                else
                    compdef _devk8s devk8s
                fi
                """);
        return z.toString();
    }

    private static final String ZSH_VALUES = """
            __devk8s_profiles() {
                local expl REPLY
                __devk8s_minikube_home
                local -a profiles
                profiles=( $REPLY/profiles/*/config.json(N:h:t) )
                _wanted profiles expl 'minikube profile' compadd -a profiles
            }

            __devk8s_contexts() {
                local expl
                local -a contexts
                contexts=( ${(f)"$(__devk8s_context_names "${opt_args[--kubeconfig]}")"} )
                _wanted contexts expl 'kube context' compadd -a contexts
            }

            __devk8s_apps() {
                local expl REPLY
                __devk8s_project_file "${opt_args[--file]:-${opt_args[-f]}}"
                local -a apps
                [[ -z $REPLY ]] || apps=( ${(f)"$(__devk8s_names apps "$REPLY")"} )
                _wanted apps expl 'app of devk8s.yaml' compadd -a apps
            }

            # a command and its arguments (devk8s shell -- CMD ARGS...): complete them as zsh would on their own
            __devk8s_command() {
                if [[ $words[1] == -- ]]; then
                    shift words
                    (( CURRENT-- ))
                fi
                _normal
            }

            __devk8s_components() {
                _values -s , 'stack component' @COMPONENTS@
            }
            """;

    private static String zshQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Text inside an _arguments [description] or :message: part. */
    private static String zshText(String s) {
        return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:");
    }

    /** The message zsh shows for a value: the parameter label in lower case, without its [,MORE...] part. */
    private static String zshLabel(String paramLabel) {
        return zshText(paramLabel.replaceAll("\\[.*", "").toLowerCase(java.util.Locale.ROOT));
    }

    private static String zshAction(String kind) {
        if (kind.startsWith("choice ")) {
            return "(" + kind.substring("choice ".length()) + ")";
        }
        return switch (kind) {
            case "profile" -> "__devk8s_profiles";
            case "context" -> "__devk8s_contexts";
            case "component" -> "__devk8s_components";
            case "app" -> "__devk8s_apps";
            case "file" -> "_files";
            case "dir" -> "_files -/";
            default -> " ";
        };
    }

    private static String zshOption(OptionSpec o) {
        String kind = valueKind(o);
        List<String> names = new ArrayList<>();
        for (String n : o.names()) {
            names.add(kind == null ? n : n.startsWith("--") ? n + "=" : n + "+");
        }
        boolean help = o.usageHelp() || o.versionHelp();
        boolean repeatable = o.isMultiValue();
        StringBuilder s = new StringBuilder();
        String exclusion = help ? "(- *)"
                : !repeatable && o.names().length > 1 ? "(" + String.join(" ", o.names()) + ")" : "";
        String head = exclusion + (repeatable ? "*" : "");
        String tail = "[" + zshText(describe(o.description(), o.completionCandidates())) + "]";
        if (kind != null) {
            tail += ":" + zshLabel(o.paramLabel()) + ":" + zshAction(kind);
        }
        if (names.size() == 1) {
            s.append(zshQuote(head + names.get(0) + tail));
        } else {
            if (!head.isEmpty()) {
                s.append(zshQuote(head));
            }
            s.append('{').append(String.join(",", names)).append('}').append(zshQuote(tail));
        }
        return s.toString();
    }

    private static String zshFunction(Cmd cmd, Cmd root) {
        List<String> specs = new ArrayList<>();
        options(cmd).forEach(o -> specs.add(zshOption(o)));
        for (PositionalParamSpec p : cmd.spec().positionalParameters()) {
            if (p.hidden()) {
                continue;
            }
            String kind = operandKind(cmd, p, root);
            String label = zshLabel(p.paramLabel());
            if (kind.equals("command")) {
                specs.add(zshQuote("*::" + label + ":__devk8s_command"));
            } else if (p.index().max() == Integer.MAX_VALUE || p.arity().max() > 1) {
                specs.add(zshQuote("*:" + label + ":" + zshAction(kind)));
            } else {
                for (int i = p.index().min(); i <= p.index().max(); i++) {
                    specs.add(zshQuote((i + 1) + ":" + label + ":" + zshAction(kind)));
                }
            }
        }
        StringBuilder f = new StringBuilder();
        String title = cmd.path().isEmpty() ? "devk8s" : "devk8s " + cmd.path();
        f.append("# ").append(title).append('\n');
        f.append(cmd.zshFunction()).append("() {\n");
        if (cmd.children().isEmpty()) {
            f.append("    _arguments -s -S \\\n");
            for (int i = 0; i < specs.size(); i++) {
                f.append("        ").append(specs.get(i)).append(i < specs.size() - 1 ? " \\\n" : "\n");
            }
            f.append("}\n");
            return f.toString();
        }
        if (cmd.path().isEmpty()) {
            f.append("    typeset -A opt_args\n");
        }
        f.append("    local curcontext=\"$curcontext\" state line ret=1\n");
        f.append("    _arguments -C -s -S \\\n");
        for (String s : specs) {
            f.append("        ").append(s).append(" \\\n");
        }
        f.append("        '1: :->command' \\\n");
        f.append("        '*:: :->argument' && ret=0\n");
        f.append("    case $state in\n");
        f.append("        command)\n");
        f.append("            local -a commands\n");
        f.append("            commands=(\n");
        for (Cmd c : cmd.children()) {
            f.append("                ").append(zshQuote(c.name() + ":" + header(c))).append('\n');
        }
        f.append("            )\n");
        f.append("            _describe -t commands ").append(zshQuote(title + " command")).append(" commands && ret=0 ;;\n");
        f.append("        argument)\n");
        f.append("            curcontext=\"${curcontext%:*:*}:").append(title.replace(' ', '-')).append("-$words[1]:\"\n");
        f.append("            case $words[1] in\n");
        for (Cmd c : cmd.children()) {
            f.append("                ").append(c.name()).append(") ").append(c.zshFunction()).append(" && ret=0 ;;\n");
        }
        f.append("            esac ;;\n");
        f.append("    esac\n");
        f.append("    return ret\n");
        f.append("}\n");
        return f.toString();
    }

    /** The names of every option of every visible command, for tests. */
    static Set<String> optionNames(CommandSpec rootSpec) {
        return all(tree(rootSpec)).stream().flatMap(c -> options(c).stream()).flatMap(o -> List.of(o.names()).stream())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Every visible command path ("up", "hosts show"), for tests. */
    static List<String> commandPaths(CommandSpec rootSpec) {
        return all(tree(rootSpec)).stream().map(Cmd::path).filter(p -> !p.isEmpty()).toList();
    }
}
