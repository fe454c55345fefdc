package io.devk8s.service;

import java.util.regex.Pattern;

/** Arguments in hints, quoted the way a POSIX shell reads them back as one word. */
public final class Quoting {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private Quoting() {}

    /** {@code arg} as is when it needs no quoting, else in single quotes. */
    public static String arg(String arg) {
        return !arg.isEmpty() && SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
