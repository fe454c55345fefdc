package io.devk8s.adapter.docker;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Image labels as one {@code LABEL} instruction appended to the Dockerfile, instead of the build API's
 * {@code labels} parameter: the daemon's classic builder turns that parameter into one {@code LABEL} step per label,
 * and each step creates and commits a container (a few tenths of a second each). One appended instruction gives the
 * image the same labels in one step.
 *
 * <p>The API adds its labels to the stage it builds, unexpanded. The appended line lands in the last stage, so it is
 * only used when that is the stage built (no target), when every key and value is plain text that needs neither
 * quotes nor escapes and holds no {@code $}, and when the Dockerfile's last instruction does not continue onto the
 * next line. Otherwise {@link #append} says no and the caller passes the labels to the API as before.
 */
public final class DockerfileLabels {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._/:@+-]+");

    private DockerfileLabels() {}

    /**
     * The Dockerfile text with one {@code LABEL k=v ...} line (keys sorted, like the API's) appended, or empty when
     * that would not be exactly what the API's {@code labels} give (see the class comment). No labels: the text as it
     * is.
     */
    public static Optional<String> append(String dockerfile, Map<String, String> labels, String target) {
        if (labels.isEmpty()) {
            return Optional.of(dockerfile);
        }
        if (target != null && !target.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> line = line(labels);
        if (line.isEmpty() || continues(dockerfile)) {
            return Optional.empty();
        }
        boolean crlf = dockerfile.contains("\r\n");
        String newline = crlf ? "\r\n" : "\n";
        String text = dockerfile.isEmpty() || dockerfile.endsWith("\n") ? dockerfile : dockerfile + newline;
        return Optional.of(text + line.get() + newline);
    }

    /**
     * The one {@code LABEL k=v ...} instruction (keys sorted, like the API's) that gives the image these labels,
     * empty when a key or value is not plain text (needs quotes or escapes, or holds a {@code $}); for no labels,
     * an empty line.
     */
    public static Optional<String> line(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return Optional.of("");
        }
        StringBuilder line = new StringBuilder("LABEL");
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            if (!PLAIN.matcher(label.getKey()).matches() || label.getValue() == null
                    || !PLAIN.matcher(label.getValue()).matches()) {
                return Optional.empty();
            }
            line.append(' ').append(label.getKey()).append('=').append(label.getValue());
        }
        return Optional.of(line.toString());
    }

    /**
     * Whether the last instruction line (blank lines and comments are skipped, as the parser does inside a
     * continuation) ends with an escape character, {@code \} or the {@code `} of {@code # escape=`}: a line appended
     * after it would become part of it.
     */
    static boolean continues(String dockerfile) {
        String[] lines = dockerfile.split("\r?\n", -1);
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            return l.endsWith("\\") || l.endsWith("`");
        }
        return false;
    }
}
