package io.devk8s.cli;

import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations the way kubectl takes them: {@code 90s}, {@code 5m}, {@code 1m30s}, {@code 1h}; a bare number is
 * seconds. Checked when the command line is parsed, before anything runs: at most {@link #MAX} (so no deadline
 * arithmetic can overflow later), else picocli's one-line error naming the flag, exit 2.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    /** The longest wait any flag takes. */
    static final Duration MAX = Duration.ofHours(24);

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");
    private static final BigInteger MAX_MILLIS = BigInteger.valueOf(MAX.toMillis());

    @Override
    public Duration convert(String value) {
        String v = value.strip();
        BigInteger millis = BigInteger.ZERO;
        if (v.matches("\\d+")) {
            millis = new BigInteger(v).multiply(BigInteger.valueOf(1000));
        } else {
            Matcher m = PART.matcher(v);
            int end = 0;
            while (m.find() && m.start() == end) {
                long unit = switch (m.group(2)) {
                    case "h" -> 3_600_000L;
                    case "m" -> 60_000L;
                    case "s" -> 1_000L;
                    default -> 1L;
                };
                millis = millis.add(new BigInteger(m.group(1)).multiply(BigInteger.valueOf(unit)));
                end = m.end();
            }
            if (end == 0 || end != v.length()) {
                throw new TypeConversionException("'" + Inputs.shorten(value)
                        + "' is not a duration; use e.g. 90s, 5m or 1m30s");
            }
        }
        if (millis.compareTo(MAX_MILLIS) > 0) {
            throw new TypeConversionException("'" + Inputs.shorten(value) + "' is longer than the maximum of "
                    + MAX.toHours() + "h; use e.g. 10m or 1h");
        }
        return Duration.ofMillis(millis.longValueExact());
    }
}
