package io.devk8s.adapter.terminal;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.function.BiConsumer;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The local terminal of an interactive session, through JLine: switched to raw mode like {@code kubectl exec -it}
 * (no echo, no line editing, no signals: Ctrl-C and Ctrl-D are bytes for the remote side), with its window size
 * and a callback on every SIGWINCH. {@link #close()} restores the settings it found; a shutdown hook does the same
 * when the JVM ends another way.
 */
public final class RawTerminal implements AutoCloseable {
    private final Terminal terminal;
    private final Attributes saved;
    /** {@code stty -g}: the exact settings (JLine's attributes leave out the line speed), or null without stty. */
    private final String sttySaved;
    private final Thread restoreOnExit;
    private boolean restored;

    private RawTerminal(Terminal terminal, String sttySaved) {
        this.terminal = terminal;
        this.saved = terminal.getAttributes();
        this.sttySaved = sttySaved;
        this.restoreOnExit = new Thread(this::restore, "devk8s-terminal-restore");
        Runtime.getRuntime().addShutdownHook(restoreOnExit);
        try {
            terminal.setAttributes(raw(saved));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens the process's terminal and switches it to raw mode. */
    public static RawTerminal open() {
        String sttySaved = stty("-g"); // before JLine touches the terminal
        try {
            Terminal terminal = TerminalBuilder.builder().system(true).jni(true).exec(false).dumb(false)
                    .nativeSignals(true).signalHandler(Terminal.SignalHandler.SIG_IGN).build();
            return new RawTerminal(terminal, sttySaved);
        } catch (IOException | IllegalStateException e) {
            throw new Devk8sException(ExitCode.FAILURE, "cannot switch the terminal to raw mode (" + e.getMessage()
                    + "); run a single command instead: devk8s shell -- CMD", e);
        }
    }

    static Attributes raw(Attributes original) {
        Attributes raw = new Attributes(original);
        raw.setLocalFlags(EnumSet.of(LocalFlag.ICANON, LocalFlag.ECHO, LocalFlag.ECHONL, LocalFlag.IEXTEN,
                LocalFlag.ISIG), false);
        raw.setInputFlags(EnumSet.of(InputFlag.IXON, InputFlag.ICRNL, InputFlag.INLCR, InputFlag.IGNCR,
                InputFlag.BRKINT, InputFlag.ISTRIP, InputFlag.PARMRK), false);
        raw.setOutputFlag(OutputFlag.OPOST, false);
        raw.setControlChar(ControlChar.VMIN, 1);
        raw.setControlChar(ControlChar.VTIME, 0);
        return raw;
    }

    public InputStream input() {
        return terminal.input();
    }

    public OutputStream output() {
        return terminal.output();
    }

    public int columns() {
        return terminal.getWidth();
    }

    public int rows() {
        return terminal.getHeight();
    }

    /** Calls {@code listener} with (columns, rows) on every window change. */
    public void onResize(BiConsumer<Integer, Integer> listener) {
        terminal.handle(Terminal.Signal.WINCH, s -> listener.accept(terminal.getWidth(), terminal.getHeight()));
    }

    private synchronized void restore() {
        if (!restored) {
            restored = true;
            terminal.setAttributes(saved);
            terminal.flush();
            if (sttySaved != null) {
                stty(sttySaved);
            }
        }
    }

    /** Runs {@code stty ARG} on this terminal; its output, or null when stty is missing or fails. */
    private static String stty(String arg) {
        try {
            Process p = new ProcessBuilder("stty", arg).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .strip();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        try {
            restore();
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        } finally {
            try {
                terminal.close(); // JLine resets its own copy of the settings, which lacks the line speed
            } catch (IOException e) {
                // settings are restored below
            }
            if (sttySaved != null) {
                stty(sttySaved);
            }
        }
    }
}
