package io.devk8s;

import io.devk8s.cli.Devk8sCommand;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/** The entry point of the {@code devk8s} command. */
public final class Devk8s {

    private Devk8s() {}

    public static void main(String[] args) {
        configureLogging(args);
        Charset charset = System.console() != null ? System.console().charset() : Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true);
        int code = Devk8sCommand.commandLine(new Devk8sCommand(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Libraries (fabric8, docker-java, Jinjava) log through SLF4J: silent unless --verbose. */
    static void configureLogging(String[] args) {
        boolean verbose = false;
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-v") || arg.equals("--verbose") || arg.matches("-[a-zA-Z]*v[a-zA-Z]*")) {
                verbose = true;
            }
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }
}
