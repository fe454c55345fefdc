package io.devk8s.adapter.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits multi-document YAML at {@code ---} lines, the way both rendering and applying read manifests. A
 * separator is a line that is {@code ---} alone or followed by white space (and anything after it, such as a
 * comment). Documents holding only blank lines are dropped and not counted, so a leading {@code ---} does not
 * shift the numbers; a document holding only comments is kept (and counted), its parser decides it is empty.
 */
public final class YamlDocuments {
    private static final Pattern SEPARATOR = Pattern.compile("---(\\s.*)?");

    /**
     * One document of a multi-document text.
     *
     * @param number 1-based position among the non-blank documents, for messages ("document 2")
     * @param line   1-based line of the text where the document's first line is
     * @param text   the document's lines, each ending with {@code \n} (CRLF turned into LF), without separators
     */
    public record Document(int number, int line, String text) {}

    private YamlDocuments() {}

    /** The non-blank documents of {@code text}, in order. */
    public static List<Document> split(String text) {
        List<Document> documents = new ArrayList<>();
        List<String> lines = text.lines().toList();
        StringBuilder current = new StringBuilder();
        int start = 1;
        for (int i = 0; i <= lines.size(); i++) {
            boolean end = i == lines.size();
            if (end || SEPARATOR.matcher(lines.get(i)).matches()) {
                if (!current.toString().isBlank()) {
                    documents.add(new Document(documents.size() + 1, start, current.toString()));
                }
                current.setLength(0);
                start = i + 2;
            } else {
                current.append(lines.get(i)).append('\n');
            }
        }
        return documents;
    }
}
