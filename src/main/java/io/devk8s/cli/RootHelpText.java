package io.devk8s.cli;

/**
 * The texts of the root command's help, for {@link RootHelp}, and the names of its subcommands, for
 * {@link Devk8sCommand#commandLineFor}: generated from the annotations of {@link Devk8sCommand} and its
 * commands by {@code RootHelpTest}, which fails when they are stale.
 * Do not edit; regenerate: {@code mvn -q test -Dtest=RootHelpTest -Ddevk8s.writeRootHelp=true}.
 */
final class RootHelpText {
    private RootHelpText() {
    }

    static final String[] HEADER = {
        "A local Kubernetes dev stack on Minikube in one command.",
    };

    static final String[] SYNOPSIS = {
        "Usage: devk8s [-hqvV] [--no-color] [COMMAND]",
    };

    static final String[] SYNOPSIS_COLOR = {
        "Usage: \033[1mdevk8s\033[21m\033[0m [\033[33m-hqvV\033[39m\033[0m] [\033[33m--no-color\033[39m\033[0m] [COMMAND]",
    };

    static final String[] DESCRIPTION = {
        "devk8s runs Traefik, Prometheus, Grafana and Jaeger on your Minikube profile, reachable at traefik-ui, prometheus, grafana and jaeger .minikube, builds and deploys your apps there (or on kind, k3d and the desktop clusters), and refuses to touch a cluster that is not on this machine unless you name it with --allow-context.",
    };

    static final int OPTION_TEXT_COLUMN = 19;

    static final String[] OPTION_LEFT = {
        "  -v, --verbose    ",
        "  -q, --quiet      ",
        "      --no-color   ",
        "  -h, --help       ",
        "  -V, --version    ",
    };

    static final String[] OPTION_LEFT_COLOR = {
        "  \033[33m-v\033[39m\033[0m, \033[33m--verbose\033[39m\033[0m    ",
        "  \033[33m-q\033[39m\033[0m, \033[33m--quiet\033[39m\033[0m      ",
        "      \033[33m--no-color\033[39m\033[0m   ",
        "  \033[33m-h\033[39m\033[0m, \033[33m--help\033[39m\033[0m       ",
        "  \033[33m-V\033[39m\033[0m, \033[33m--version\033[39m\033[0m    ",
    };

    static final String[] OPTION_TEXT = {
        "Print debug lines, library logs and full stack traces.",
        "Print only data and errors: no progress or info lines.",
        "No colours (also when NO_COLOR is set to a value, or output is not a terminal).",
        "Show this help message and exit.",
        "Print version information and exit.",
    };

    static final String COMMAND_HEADING = "Commands:\n";

    static final int COMMAND_TEXT_COLUMN = 14;

    static final String[] COMMAND_LEFT = {
        "  up          ",
        "  status      ",
        "  down        ",
        "  init        ",
        "  deploy      ",
        "  dev         ",
        "  logs        ",
        "  shell       ",
        "  teardown    ",
        "  render      ",
        "  hosts       ",
        "  doctor      ",
        "  completion  ",
        "  daemon      ",
        "  help        ",
    };

    static final String[] COMMAND_LEFT_COLOR = {
        "  \033[1mup\033[21m\033[0m          ",
        "  \033[1mstatus\033[21m\033[0m      ",
        "  \033[1mdown\033[21m\033[0m        ",
        "  \033[1minit\033[21m\033[0m        ",
        "  \033[1mdeploy\033[21m\033[0m      ",
        "  \033[1mdev\033[21m\033[0m         ",
        "  \033[1mlogs\033[21m\033[0m        ",
        "  \033[1mshell\033[21m\033[0m       ",
        "  \033[1mteardown\033[21m\033[0m    ",
        "  \033[1mrender\033[21m\033[0m      ",
        "  \033[1mhosts\033[21m\033[0m       ",
        "  \033[1mdoctor\033[21m\033[0m      ",
        "  \033[1mcompletion\033[21m\033[0m  ",
        "  \033[1mdaemon\033[21m\033[0m      ",
        "  \033[1mhelp\033[21m\033[0m        ",
    };

    static final String[] COMMAND_TEXT = {
        "Start the dev stack (Traefik, Prometheus, Grafana, Jaeger) on Minikube.",
        "Show the profile, the kube context, the stack's components, its URLs and the hosts block.",
        "Remove the stack from the cluster and its block from the hosts file.",
        "Add an app to devk8s.yaml and copy the default templates of its kind into the project.",
        "Build apps of devk8s.yaml for the cluster, apply their manifests and wait for the rollout.",
        "Deploy apps of devk8s.yaml, then redeploy each one when its files change, showing its logs.",
        "Print or follow the logs of the project's pods, every line prefixed pod/container.",
        "Open a shell (or run one command) in a debug pod in the project's namespace.",
        "Delete a project's objects from the cluster, by label.",
        "Print Kubernetes manifests instead of applying them.",
        "Point the stack's host names at the cluster through a block in the hosts file.",
        "Check that everything devk8s up needs is in place, and say how to fix what isn't.",
        "Print the shell completion script for bash or zsh.",
        "Show or stop the background process that runs deploy, up, status and the like warm.",
        "Display help information about the specified command.",
    };

    static final String FOOTER_HEADING = "\nExamples:\n";

    static final String[] FOOTER = {
        "  devk8s doctor                 check minikube, the context and the hosts file",
        "  devk8s up --start             start Minikube if needed, then the whole stack",
        "  devk8s status                 components, URLs and the hosts block",
        "  devk8s down                   remove the stack and its hosts block",
        "  devk8s render stack           the stack as YAML (--out DIR: one file each)",
        "  devk8s hosts apply            point *.minikube at the cluster",
        "",
        "Exit codes: 0 ok, 1 failure, 2 usage error, 3 missing tool or cluster.",
    };

    /** The name and aliases of each class in the root's {@code @Command(subcommands)}, in that order. */
    static final String[][] COMMAND_NAMES = {
        {"up"},
        {"status"},
        {"down"},
        {"init"},
        {"deploy"},
        {"dev"},
        {"logs"},
        {"shell"},
        {"teardown"},
        {"render"},
        {"hosts"},
        {"doctor"},
        {"completion"},
        {"daemon"},
        {"training-run"},
        {"help"},
    };
}
