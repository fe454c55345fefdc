package io.devk8s;

import io.devk8s.cli.Devk8sCommand;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/** The entry point of the {@code devk8s} command. */
public final class Devk8s {

    /**
     * The built-in picocli converters devk8s turns off: all those it registers by reflection, which are the ones for
     * java.sql and java.time types and Path (picocli compiles this pattern once for each of them, for every
     * CommandLine: the shortest pattern costs least).
     */
    public static final String PICOCLI_CONVERTERS_EXCLUDED = ".*";

    private Devk8s() {}

    public static void main(String[] args) {
        // the installed launcher turns the background process on: a command it runs ends here
        if (System.getProperty("devk8s.daemon") != null) {
            int served = DaemonClient.run(args);
            if (served != DaemonClient.NOT_SERVED) {
                System.exit(served);
            }
        }
        configureLogging(args);
        PrintWriter out = writer(System.out);
        PrintWriter err = writer(System.err);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Standard output or error as devk8s writes to it: the console's charset, flushed at every line. */
    static PrintWriter writer(java.io.PrintStream stream) {
        Charset charset = System.console() != null ? System.console().charset() : Charset.defaultCharset();
        return new PrintWriter(new java.io.OutputStreamWriter(stream, charset), true);
    }

    /**
     * Runs one command line. {@code --version} alone is printed before picocli is loaded, as picocli prints it
     * (it needs nothing else); every other command gets only its own part of the command tree built
     * ({@link Devk8sCommand#commandLineFor}).
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            String[] lines = Version.lines();
            // picocli formats the lines (%n) and renders @|markup|@: plain lines only, the rest goes through it
            // (plain loops: a lambda or stream here costs more start-up than printing the version)
            boolean plain = true;
            for (String line : lines) {
                plain &= !line.contains("%") && !line.contains("@|");
            }
            if (plain) {
                for (String line : lines) {
                    out.println(line);
                }
                return ExitCode.OK;
            }
        }
        // the root's help, laid out from texts generated at build time: the same text picocli prints, without
        // reading the annotations of every command (most of the time of `--help`); null: picocli prints it
        String rootHelp = Devk8sCommand.rootHelp(args);
        if (rootHelp != null) {
            out.print(rootHelp);
            out.flush();
            return ExitCode.OK;
        }
        return execute(new Devk8sCommand(), args, out, err, true);
    }

    /**
     * Runs a command line through picocli with {@code root} (which holds the environment and the caller's terminal).
     *
     * @param autoWidth whether picocli measures this process's terminal for help (the background process has none:
     *     80 columns)
     */
    static int execute(Devk8sCommand root, String[] args, PrintWriter out, PrintWriter err, boolean autoWidth) {
        // picocli's default factory probes for Groovy closures with Class.forName("groovy.lang.Closure"): a failed
        // lookup through the whole jar (and the archive never holds a class that is not there); devk8s has none
        System.setProperty("picocli.disable.closures", "true");
        // and every CommandLine registers converters for java.sql and java.time types and Path by reflection
        // (Class.forName through the platform class loader); no devk8s option has such a type without its own
        // converter (OptionTypesTest)
        System.setProperty("picocli.converters.excludes", PICOCLI_CONVERTERS_EXCLUDED);
        picocli.CommandLine cmd = Devk8sCommand.commandLineFor(root, out, err, args);
        if (!autoWidth) {
            cmd.setUsageHelpAutoWidth(false);
        }
        return cmd.execute(args);
    }

    /** Libraries (fabric8, docker-java, Jinjava) log through SLF4J: silent unless --verbose. */
    static void configureLogging(String[] args) {
        boolean verbose = false;
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--verbose") || isShortFlagsWithV(arg)) {
                verbose = true;
            }
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    /** {@code -v} or a cluster of short flags holding it ({@code -qv}); the same as {@code -[a-zA-Z]*v[a-zA-Z]*}. */
    private static boolean isShortFlagsWithV(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '-') {
            return false;
        }
        boolean v = false;
        for (int i = 1; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
            v |= c == 'v';
        }
        return v;
    }
}
