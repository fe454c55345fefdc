package io.devk8s.service.build;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of an image build line by line, as the classic builder ({@code Step 3/5 : RUN make}) and
 * BuildKit's plain progress ({@code #7 [build 3/5] RUN make}, then {@code #7 0.31 output}) print it, and knows
 * the step that runs now (for one status line on a terminal) and, when the build fails, the failing step and the
 * last lines of its output.
 */
public final class BuildLog {
    /** How many lines of a failing step's output are shown. */
    public static final int TAIL = 20;

    private static final Pattern CLASSIC_STEP = Pattern.compile("^Step (\\d+)/(\\d+) : (.*)$");
    private static final Pattern KIT_LINE = Pattern.compile("^#(\\d+) (.*)$");
    private static final Pattern KIT_STEP = Pattern.compile("^\\[(?:(\\S+) )?(\\d+)/(\\d+)\\] (.*)$");
    private static final Pattern KIT_TIME = Pattern.compile("^\\d+\\.\\d+ ");
    private static final Pattern KIT_NOISE = Pattern.compile("^(sha256:[0-9a-f]+|DONE .*|CACHED|\\.\\.\\.)$");

    /** A step of the build: how it was announced and the last lines it printed. */
    private static final class Step {
        final String header;
        final String status;
        final Deque<String> tail = new ArrayDeque<>();
        boolean failed;

        Step(String header, String status) {
            this.header = header;
            this.status = status;
        }

        void add(String line) {
            tail.addLast(line);
            if (tail.size() > TAIL) {
                tail.removeFirst();
            }
        }
    }

    private final Map<String, Step> steps = new LinkedHashMap<>();
    private final Deque<String> lastLines = new ArrayDeque<>();
    private Step current;
    private String status = "";

    /**
     * Takes one line of output; returns the new status text when it changed, e.g. {@code step 3/5: RUN make}
     * or {@code step 2/4 (build): COPY . .}.
     */
    public Optional<String> accept(String line) {
        lastLines.addLast(line);
        if (lastLines.size() > TAIL) {
            lastLines.removeFirst();
        }
        Matcher classic = CLASSIC_STEP.matcher(line);
        if (classic.matches()) {
            current = new Step(line, "step " + classic.group(1) + "/" + classic.group(2) + ": " + classic.group(3));
            steps.put("classic-" + steps.size(), current);
            return status(current.status);
        }
        Matcher kit = KIT_LINE.matcher(line);
        if (kit.matches()) {
            String id = kit.group(1);
            String rest = kit.group(2);
            Step step = steps.get(id);
            if (step == null) {
                Matcher s = KIT_STEP.matcher(rest);
                String text = s.matches() ? "step " + s.group(2) + "/" + s.group(3)
                        + (s.group(1) == null || s.group(1).equals("stage-0") ? "" : " (" + s.group(1) + ")") + ": "
                        + s.group(4) : rest;
                step = new Step(line, text);
                steps.put(id, step);
                current = step;
                return status(text);
            }
            if (rest.startsWith("ERROR")) {
                step.failed = true;
                step.add(rest);
                return Optional.empty();
            }
            if (!KIT_NOISE.matcher(rest).matches() && !rest.equals(step.header.substring(id.length() + 2))) {
                step.add(KIT_TIME.matcher(rest).replaceFirst(""));
            }
            return Optional.empty();
        }
        if (current != null && current.header.startsWith("Step ") && !line.startsWith(" ---> ")
                && !line.startsWith("Removing intermediate container")) {
            current.add(line);
        }
        return Optional.empty();
    }

    private Optional<String> status(String text) {
        if (text.equals(status)) {
            return Optional.empty();
        }
        status = text;
        return Optional.of(text);
    }

    /** The status text of the step that runs now; empty before the first step. */
    public String status() {
        return status;
    }

    /**
     * What to show when the build failed: the failing step (BuildKit's step marked ERROR, else the last step the
     * classic builder started) and the last {@value #TAIL} lines of its output; the last lines of all output when
     * no step is known.
     */
    public List<String> failureReport() {
        Step failing = steps.values().stream().filter(s -> s.failed).findFirst().orElse(null);
        if (failing == null && current != null && current.header.startsWith("Step ")) {
            failing = current;
        }
        List<String> report = new ArrayList<>();
        if (failing == null) {
            report.addAll(lastLines);
            return report;
        }
        report.add(failing.header);
        failing.tail.forEach(l -> report.add("  " + l));
        return report;
    }
}
