package io.devk8s.console;

import java.io.PrintWriter;

/**
 * Where services talk to the user. Data goes to {@link #out()}, messages to stderr. Colour and live
 * (rewritten) lines are used only when the CLI decided the terminal supports them; {@code --quiet}
 * drops info and progress lines, {@code --verbose} adds debug lines.
 */
public final class Console {
    private static final String RESET = "\u001b[0m";

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean color;
    private final boolean interactive;
    private final boolean verbose;
    private final boolean quiet;
    private final java.util.function.IntSupplier columns;
    private int width;

    public Console(PrintWriter out, PrintWriter err, boolean color, boolean interactive, boolean verbose, boolean quiet) {
        this(out, err, color, interactive, verbose, quiet, () -> 80);
    }

    /** @param columns the terminal's width in columns, asked once when a {@link StatusLine} is first drawn */
    public Console(PrintWriter out, PrintWriter err, boolean color, boolean interactive, boolean verbose, boolean quiet,
            java.util.function.IntSupplier columns) {
        this.out = out;
        this.err = err;
        this.color = color;
        this.interactive = interactive;
        this.verbose = verbose;
        this.quiet = quiet;
        this.columns = columns;
    }

    /** A console that writes plain text, for tests and non-terminal use. */
    public static Console plain(PrintWriter out, PrintWriter err) {
        return new Console(out, err, false, false, false, false);
    }

    /** This console with info and progress lines dropped (unless verbose): warnings, errors and data only. */
    public Console quieter() {
        return verbose ? this : new Console(out, err, color, interactive, false, true);
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean isVerbose() {
        return verbose;
    }

    public boolean isQuiet() {
        return quiet;
    }

    /** True when live, rewritten lines (progress) can be drawn: a terminal with colour. */
    public boolean isInteractive() {
        return interactive;
    }

    /** A line of data on stdout. */
    public void data(String line) {
        out.println(line);
        out.flush();
    }

    public void info(String message) {
        if (!quiet) {
            err.println(message);
            err.flush();
        }
    }

    public void success(String message) {
        info(paint("32", "✓ ") + message);
    }

    public void warn(String message) {
        err.println(paint("33", "warning: ") + message);
        err.flush();
    }

    public void error(String message) {
        err.println(paint("31", "error: ") + message);
        err.flush();
    }

    public void debug(String message) {
        if (verbose) {
            err.println(paint("2", "debug: " + message));
            err.flush();
        }
    }

    public String bold(String text) {
        return paint("1", text);
    }

    public String green(String text) {
        return paint("32", text);
    }

    public String yellow(String text) {
        return paint("33", text);
    }

    public String red(String text) {
        return paint("31", text);
    }

    private static final String[] PALETTE = {"36", "33", "32", "35", "34", "91", "96", "93", "92", "95", "94", "31"};

    /**
     * {@code text} in the {@code n}-th colour of a fixed palette (cycling), to tell items apart such as the pods of
     * {@code devk8s logs}; plain text without colour.
     */
    public String palette(int n, String text) {
        return paint(PALETTE[Math.floorMod(n, PALETTE.length)], text);
    }

    private String paint(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + RESET : text;
    }

    /** The terminal's width in columns (80 when it cannot be told). */
    public synchronized int columns() {
        if (width <= 0) {
            int w = columns.getAsInt();
            width = w > 0 ? w : 80;
        }
        return width;
    }

    /**
     * {@code text} cut to {@code width} columns with an ellipsis, control characters (tabs, escapes) replaced by
     * spaces: what fits on one terminal line.
     */
    public static String fit(String text, int width) {
        String clean = text.replaceAll("\\p{Cntrl}", " ");
        int w = Math.max(10, width);
        return clean.length() <= w ? clean : clean.substring(0, w - 1) + "\u2026";
    }

    /**
     * One line redrawn in place on a terminal (e.g. the step a build runs now), cut to the terminal's width and
     * erased on close, so the next message takes its place. Off a terminal, and in quiet mode, it draws nothing.
     */
    public StatusLine statusLine() {
        return new StatusLine(this);
    }

    /** See {@link #statusLine()}. */
    public static final class StatusLine implements AutoCloseable {
        private final Console console;
        private String shown = "";

        StatusLine(Console console) {
            this.console = console;
        }

        /** Shows {@code text} in place of what the line showed. */
        public synchronized void update(String text) {
            if (console.quiet || !console.interactive) {
                return;
            }
            String line = fit(text, console.columns() - 1);
            if (line.equals(shown)) {
                return;
            }
            shown = line;
            console.err.print("\r\u001b[2K" + line);
            console.err.flush();
        }

        /** Erases the line. */
        @Override
        public synchronized void close() {
            if (!shown.isEmpty()) {
                console.err.print("\r\u001b[2K");
                console.err.flush();
                shown = "";
            }
        }
    }

    /**
     * A block of live lines, one per item, redrawn in place on a terminal; elsewhere each changed line
     * is printed once as a plain line. Quiet mode prints nothing.
     */
    public Progress progress(java.util.List<String> keys) {
        return new Progress(this, keys);
    }

    /** Live status lines keyed by name (e.g. one per stack component). */
    public static final class Progress implements AutoCloseable {
        private final Console console;
        private final java.util.LinkedHashMap<String, String> lines = new java.util.LinkedHashMap<>();
        private boolean drawn;

        Progress(Console console, java.util.List<String> keys) {
            this.console = console;
            keys.forEach(k -> lines.put(k, ""));
        }

        public synchronized void update(String key, String text) {
            if (console.quiet || text.equals(lines.get(key))) {
                return;
            }
            lines.put(key, text);
            if (!console.interactive) {
                console.err.println(key + ": " + text);
                console.err.flush();
                return;
            }
            redraw();
        }

        private void redraw() {
            var err = console.err;
            if (drawn) {
                err.print("\u001b[" + lines.size() + "F");
            }
            int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
            lines.forEach((k, v) -> err.print("\u001b[2K" + console.bold(String.format("%-" + width + "s", k)) + "  " + v + "\n"));
            err.flush();
            drawn = true;
        }

        @Override
        public void close() {
            console.err.flush();
        }
    }
}
