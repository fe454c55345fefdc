package io.devk8s.cli;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Turns every failure into one line on stderr and an exit code; the trace only with --verbose. */
final class ErrorHandlers implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final Devk8sCommand root;

    ErrorHandlers(Devk8sCommand root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean verbose = root.globalOptions.verbose();
        int code;
        String message;
        Devk8sException known = find(ex, Devk8sException.class);
        if (known != null) {
            code = known.exitCode();
            message = known.getMessage();
        } else {
            code = ExitCode.FAILURE;
            message = describe(ex);
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.println(cmd.getColorScheme().errorText("error: ") + oneLine(message)
                + (verbose || known != null ? "" : " (run with --verbose for details)"));
        err.flush();
        return code;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (root.globalOptions.verbose()) {
            ex.printStackTrace(err);
        }
        String help = cmd.getCommandSpec().qualifiedName() + " --help";
        err.println(cmd.getColorScheme().errorText("error: ") + oneLine(ex.getMessage())
                + " (see '" + help + "')");
        err.flush();
        return ExitCode.USAGE;
    }

    private static String describe(Throwable ex) {
        ConnectException connect = find(ex, ConnectException.class);
        if (connect != null) {
            return "couldn't connect: " + connect.getMessage();
        }
        AccessDeniedException denied = find(ex, AccessDeniedException.class);
        if (denied != null) {
            return "permission denied: " + denied.getFile();
        }
        NoSuchFileException missing = find(ex, NoSuchFileException.class);
        if (missing != null) {
            return "no such file: " + missing.getFile();
        }
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return "unexpected " + root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /** The message on one line, every over-long piece of echoed input cut short ({@link Inputs#shortenWords}). */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return Inputs.shortenWords(message.strip().replaceAll("\\s*\\R\\s*", " "));
    }

    private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
