package io.devk8s.adapter.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.devk8s.adapter.template.YamlDocuments.Document;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class YamlDocumentsTest {
    @Test
    void should_split_at_separator_lines_and_give_each_document_its_first_line() {
        assertEquals(List.of(new Document(1, 1, "a: 1\n"), new Document(2, 3, "b: 2\nc: 3\n")),
                YamlDocuments.split("a: 1\n---\nb: 2\nc: 3\n"));
    }

    @Test
    void should_not_count_blank_documents_so_a_leading_separator_shifts_nothing() {
        assertEquals(List.of(new Document(1, 2, "a: 1\n"), new Document(2, 6, "b: 2\n")),
                YamlDocuments.split("---\na: 1\n---\n\n---\nb: 2\n---\n"));
        assertEquals(List.of(), YamlDocuments.split(""));
        assertEquals(List.of(), YamlDocuments.split("---\n  \n---\n"));
    }

    @Test
    void should_accept_a_comment_after_the_separator_and_keep_comment_only_documents() {
        assertEquals(List.of(new Document(1, 1, "# only a comment\n"), new Document(2, 3, "a: 1\n")),
                YamlDocuments.split("# only a comment\n--- # next\na: 1\n"));
    }

    @Test
    void should_not_split_at_dashes_that_are_content() {
        String text = "a: |\n  ---x\n  text\nb: \"---\"\n----\n";
        assertEquals(List.of(new Document(1, 1, text)), YamlDocuments.split(text));
        assertEquals(1, YamlDocuments.split("list:\n- ---not\n").size());
    }

    @Test
    void should_read_crlf_line_endings_as_lf() {
        assertEquals(List.of(new Document(1, 1, "a: 1\n"), new Document(2, 3, "b: 2\n")),
                YamlDocuments.split("a: 1\r\n---\r\nb: 2\r\n"));
    }
}
