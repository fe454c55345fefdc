package io.devk8s.config;

import io.devk8s.Devk8sException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Writes {@code devk8s.yaml} text for {@code devk8s init}: a new file, or one more entry under {@code apps:} of an
 * existing file with every other byte (comments, blank lines, order, quoting, line endings) left as it was. The text
 * is edited, not re-serialized: the entry is inserted after the last line of the last app, indented like the first.
 */
public final class ProjectFileEditor {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./-][A-Za-z0-9_./*-]*");

    private ProjectFileEditor() {}

    /**
     * A new project file holding one app.
     *
     * @param fields the app's keys and values after {@code name}, values already in YAML (see {@link #scalar})
     */
    public static String newFile(String project, String name, Map<String, String> fields) {
        return "# The apps `devk8s deploy` builds and deploys, in order. Schema: docs/devk8s-yaml.md in the devk8s\n"
                + "# repository. `devk8s init NAME` adds another.\n"
                + "project: " + scalar(project) + "\n"
                + "apps:\n"
                + entry(2, 4, name, fields, "\n");
    }

    /**
     * {@code text} (the content of {@code file}) with the app appended to its {@code apps:} list.
     *
     * @throws Devk8sException (usage) naming {@code file:line:column} when the file is not YAML, not a mapping, has
     *     its apps in flow style ({@code apps: [...]}), or already has an app of that name
     */
    public static String addApp(Path file, String text, String name, Map<String, String> fields) {
        MappingNode top = compose(file, text);
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        NodeTuple apps = null;
        for (NodeTuple t : top.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("apps")) {
                apps = t;
            }
        }
        String result;
        if (apps == null) {
            String base = text.isEmpty() || text.endsWith("\n") ? text : text + eol;
            result = base + "apps:" + eol + entry(2, 4, name, fields, eol);
        } else if (apps.getValueNode() instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            int at = lineEnd(text, line(apps.getKeyNode().getStartMark()));
            result = insert(text, at, eol, entry(2, 4, name, fields, eol));
        } else if (apps.getValueNode() instanceof SequenceNode seq && seq.getFlowStyle() == FlowStyle.BLOCK
                && !seq.getValue().isEmpty()) {
            for (Node item : seq.getValue()) {
                appName(item).ifPresent(existing -> {
                    if (existing.value().equals(name)) {
                        throw Devk8sException.usage(at(file, existing.node()) + ": app '" + name + "' already exists; "
                                + "give devk8s init another NAME, or edit this entry");
                    }
                });
            }
            Node first = seq.getValue().get(0);
            int keyColumn = column(first.getStartMark());
            String firstLine = lineText(text, line(first.getStartMark()));
            int dash = firstLine.lastIndexOf('-', Math.max(0, keyColumn - 1));
            int dashColumn = dash >= 0 ? dash : Math.max(0, keyColumn - 2);
            Node lastApp = seq.getValue().get(seq.getValue().size() - 1);
            int last = lastLine(lastApp);
            String[] lines = text.split("\r?\n", -1);
            // blank lines that end a block scalar separate the apps from what follows: the entry goes above them
            while (last > line(lastApp.getStartMark()) && last < lines.length && lines[last].isBlank()) {
                last--;
            }
            // comment lines right below the last app and indented under it belong to it
            while (last + 1 < lines.length && lines[last + 1].strip().startsWith("#")
                    && indent(lines[last + 1]) > dashColumn) {
                last++;
            }
            result = insert(text, lineEnd(text, last), eol, entry(dashColumn, keyColumn, name, fields, eol));
        } else {
            Node v = apps.getValueNode();
            throw Devk8sException.usage(at(file, v) + ": apps: is not a block list (- name: ...), so devk8s init "
                    + "cannot add to it; write it as one (apps:, then one '- name: ...' entry per line) and run again");
        }
        // the result must read back with the new app last
        MappingNode check = compose(file, result);
        List<String> names = new ArrayList<>();
        for (NodeTuple t : check.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("apps")
                    && t.getValueNode() instanceof SequenceNode seq) {
                seq.getValue().forEach(item -> appName(item).ifPresent(n -> names.add(n.value())));
            }
        }
        if (names.isEmpty() || !names.get(names.size() - 1).equals(name)) {
            throw Devk8sException.failure(file + ": could not add app '" + name + "' without changing the rest of "
                    + "the file; add this entry under apps: by hand:" + eol + entry(2, 4, name, fields, eol));
        }
        return result;
    }

    /** A value as YAML: plain when it is safe, else double-quoted. */
    public static String scalar(String value) {
        if (PLAIN.matcher(value).matches() && !value.matches("(?i)true|false|yes|no|on|off|null|~|[-+.0-9].*")) {
            return value;
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** One list entry: {@code - name: NAME} at {@code dashColumn}, the other keys at {@code keyColumn}. */
    static String entry(int dashColumn, int keyColumn, String name, Map<String, String> fields, String eol) {
        StringBuilder out = new StringBuilder();
        out.append(" ".repeat(dashColumn)).append('-').append(" ".repeat(Math.max(1, keyColumn - dashColumn - 1)))
                .append("name: ").append(name).append(eol);
        fields.forEach((k, v) -> out.append(" ".repeat(keyColumn)).append(k).append(": ").append(v).append(eol));
        return out.toString();
    }

    private record Named(String value, Node node) {}

    private static Optional<Named> appName(Node item) {
        if (item instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name")
                        && t.getValueNode() instanceof ScalarNode v) {
                    return Optional.of(new Named(v.getValue(), v));
                }
            }
        }
        return Optional.empty();
    }

    private static MappingNode compose(Path file, String text) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file.toString()).setSchema(new CoreSchema()).build())
                    .composeString(text);
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            throw Devk8sException.usage((m == null ? file + ":1:1" : file + ":" + (m.getLine() + 1) + ":"
                    + (m.getColumn() + 1)) + ": not valid YAML: " + e.getProblem() + "; fix it before devk8s init "
                    + "adds to it");
        } catch (YamlEngineException e) {
            throw Devk8sException.usage(file + ":1:1: not valid YAML; fix it before devk8s init adds to it");
        }
        if (root.isEmpty() || !(root.get() instanceof MappingNode top)) {
            throw Devk8sException.usage(file + ":1:1: not a mapping with project: and apps:; fix it, or remove it "
                    + "and run devk8s init again to write a new one");
        }
        return top;
    }

    /** The last line (from 0) holding text of a node: the largest end line of its scalars and flow collections. */
    private static int lastLine(Node node) {
        if (node instanceof MappingNode m && m.getFlowStyle() == FlowStyle.BLOCK) {
            int last = line(m.getStartMark());
            for (NodeTuple t : m.getValue()) {
                last = Math.max(last, lastLine(t.getKeyNode()));
                last = Math.max(last, lastLine(t.getValueNode()));
            }
            return last;
        }
        if (node instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.BLOCK) {
            int last = line(s.getStartMark());
            for (Node item : s.getValue()) {
                last = Math.max(last, lastLine(item));
            }
            return last;
        }
        Optional<Mark> end = node.getEndMark();
        if (end.isEmpty()) {
            return line(node.getStartMark());
        }
        int line = end.get().getLine();
        // a block scalar ends after its last line break
        if (end.get().getColumn() == 0 && line > line(node.getStartMark())) {
            line--;
        }
        return line;
    }

    private static int line(Optional<Mark> mark) {
        return mark.map(Mark::getLine).orElse(0);
    }

    private static int column(Optional<Mark> mark) {
        return mark.map(Mark::getColumn).orElse(0);
    }

    private static String at(Path file, Node node) {
        return file + ":" + (line(node.getStartMark()) + 1) + ":" + (column(node.getStartMark()) + 1);
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** The text of line {@code line} (from 0), without its line break. */
    private static String lineText(String text, int line) {
        String[] lines = text.split("\r?\n", -1);
        return line < lines.length ? lines[line] : "";
    }

    /** The offset just after the line break ending line {@code line} (from 0), or the end of the text. */
    private static int lineEnd(String text, int line) {
        int offset = 0;
        for (int i = 0; i <= line; i++) {
            int nl = text.indexOf('\n', offset);
            if (nl < 0) {
                return text.length();
            }
            offset = nl + 1;
        }
        return offset;
    }

    private static String insert(String text, int at, String eol, String entry) {
        String before = text.substring(0, at);
        if (!before.isEmpty() && !before.endsWith("\n")) {
            before += eol;
        }
        return before + entry + text.substring(at);
    }
}
