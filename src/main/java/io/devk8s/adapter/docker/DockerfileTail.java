package io.devk8s.adapter.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Dockerfile split before its trailing metadata instructions: the classic builder creates and commits a container
 * for each {@code USER}, {@code EXPOSE}, {@code ENTRYPOINT}, {@code CMD}, {@code LABEL} or {@code ENV} (a tenth of a
 * second or more each), and they change nothing but the image's configuration. Built as the {@link #head()} and then
 * one commit of a container of it with the {@link #instructions()} as the commit's {@code changes} (which the daemon
 * applies with the same Dockerfile code as its builder), the image gets the same configuration in one step.
 *
 * <p>Only where that is exactly what the builder gives ({@link #of} says no otherwise): the instructions are the
 * last ones of the file (so of the stage built, and the build has no target), each on one line, with no {@code $}
 * (the builder expands build arguments there, a commit does not), the file sets no escape character, and an
 * {@code ENTRYPOINT} among them follows no {@code CMD} of the stage (the builder keeps that CMD, a commit starts the
 * stage's state afresh and would drop it).
 */
public final class DockerfileTail {
    /** What the daemon's commit applies as it builds them (its validCommitCommands, less WORKDIR, VOLUME, ONBUILD). */
    static final Set<String> METADATA = Set.of("USER", "EXPOSE", "ENTRYPOINT", "CMD", "LABEL", "ENV");
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z]+)\\s*=\\s*(.*)");

    private final String head;
    private final int headInstructions;
    private final List<String> instructions;

    private DockerfileTail(String head, int headInstructions, List<String> instructions) {
        this.head = head;
        this.headInstructions = headInstructions;
        this.instructions = List.copyOf(instructions);
    }

    /** How many instructions (the builder's steps) the head has. */
    public int headInstructions() {
        return headInstructions;
    }

    /** The Dockerfile without its trailing metadata instructions. */
    public String head() {
        return head;
    }

    /** The trailing metadata instructions, one line each, in order. */
    public List<String> instructions() {
        return instructions;
    }

    /** One instruction of the file: its keyword (upper case), first and last line, and text. */
    private record Instruction(String keyword, int first, int last, String text) {
    }

    /**
     * The split of {@code dockerfile}, or empty when there is no trailing metadata instruction or the split would
     * not give exactly the builder's image (see the class comment).
     */
    public static Optional<DockerfileTail> of(String dockerfile, String target) {
        if (target != null && !target.isEmpty()) {
            return Optional.empty();
        }
        String[] lines = dockerfile.split("\r?\n", -1);
        // parser directives come first: any escape character other than the default changes how lines join
        for (String line : lines) {
            var m = DIRECTIVE.matcher(line.strip());
            if (!m.matches()) {
                break;
            }
            if (m.group(1).equalsIgnoreCase("escape")) {
                return Optional.empty();
            }
        }
        List<Instruction> all = instructions(lines);
        int start = all.size();
        while (start > 0) {
            Instruction i = all.get(start - 1);
            if (!METADATA.contains(i.keyword()) || i.first() != i.last() || i.text().contains("$")
                    || i.text().endsWith("\\")) {
                break;
            }
            start--;
        }
        if (start == all.size() || start == 0) {
            return Optional.empty(); // nothing to commit, or no FROM before it (the builder's own error then)
        }
        List<Instruction> tail = all.subList(start, all.size());
        boolean entrypoint = tail.stream().anyMatch(i -> i.keyword().equals("ENTRYPOINT"));
        if (entrypoint) {
            for (int k = start - 1; k >= 0 && !all.get(k).keyword().equals("FROM"); k--) {
                if (all.get(k).keyword().equals("CMD")) {
                    return Optional.empty();
                }
            }
        }
        List<String> changes = new ArrayList<>();
        tail.forEach(i -> changes.add(i.text()));
        StringBuilder head = new StringBuilder();
        boolean crlf = dockerfile.contains("\r\n");
        for (int k = 0; k < tail.get(0).first(); k++) {
            head.append(lines[k]).append(crlf ? "\r\n" : "\n");
        }
        return Optional.of(new DockerfileTail(head.toString(), start, changes));
    }

    /** The instructions of the file, as the parser joins them: comment lines skipped, {@code \}-ended lines joined. */
    private static List<Instruction> instructions(String[] lines) {
        List<Instruction> found = new ArrayList<>();
        int k = 0;
        while (k < lines.length) {
            String line = lines[k].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                k++;
                continue;
            }
            int first = k;
            StringBuilder text = new StringBuilder(line);
            while (text.toString().endsWith("\\") && k + 1 < lines.length) {
                k++;
                String next = lines[k].strip();
                if (next.startsWith("#")) {
                    continue; // a comment inside a continued instruction is dropped
                }
                text.setLength(text.length() - 1);
                text.append(' ').append(next);
            }
            String keyword = text.toString().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            found.add(new Instruction(keyword, first, k, text.toString()));
            k++;
        }
        return found;
    }
}
