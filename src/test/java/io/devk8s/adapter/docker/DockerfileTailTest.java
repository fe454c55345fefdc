package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DockerfileTailTest {
    private static final String HELLOWORLD = """
            # a comment
            ARG BASE=gcr.io/distroless/static-debian12
            FROM ${BASE}
            ARG VERSION=dev
            LABEL org.opencontainers.image.version="${VERSION}"
            COPY bin/helloworld /helloworld
            USER 65532:65532

            # the port
            EXPOSE 8080
            ENTRYPOINT ["/helloworld"]
            """;

    @Test
    void should_split_before_the_trailing_metadata_instructions() {
        DockerfileTail tail = DockerfileTail.of(HELLOWORLD, "").orElseThrow();
        assertEquals(List.of("USER 65532:65532", "EXPOSE 8080", "ENTRYPOINT [\"/helloworld\"]"), tail.instructions());
        assertTrue(tail.head().endsWith("COPY bin/helloworld /helloworld\n"), tail.head());
        assertEquals(5, tail.headInstructions(), "ARG, FROM, ARG, LABEL, COPY: the builder's steps");
    }

    @Test
    void should_stop_the_tail_at_a_variable_a_continued_line_or_any_other_instruction() {
        assertEquals(List.of("USER 1"),
                DockerfileTail.of("FROM a\nEXPOSE $PORT\nUSER 1\n", "").orElseThrow().instructions());
        assertEquals(List.of("CMD [\"x\"]"), DockerfileTail.of("FROM a\nLABEL a=b \\\n  c=d\nCMD [\"x\"]\n", "")
                .orElseThrow().instructions());
        assertEquals(List.of("ENV A=1"), DockerfileTail.of("FROM a\nWORKDIR /w\nENV A=1\n", "").orElseThrow()
                .instructions());
        assertEquals(List.of("user 1", "Cmd x"), DockerfileTail.of("FROM a\nRUN true\nuser 1\nCmd x\n", "")
                .orElseThrow().instructions());
    }

    @Test
    void should_not_split_where_the_builder_would_give_another_image() {
        assertEquals(Optional.empty(), DockerfileTail.of(HELLOWORLD, "build"), "a target: another stage");
        assertEquals(Optional.empty(), DockerfileTail.of("# escape=`\nFROM a\nUSER 1\n", ""), "another escape");
        assertEquals(Optional.empty(), DockerfileTail.of("FROM a\nCMD [\"x\"]\nCOPY . /\nENTRYPOINT [\"e\"]\n", ""),
                "the builder keeps a CMD of the stage under a later ENTRYPOINT; a commit would drop it");
        assertEquals(Optional.empty(), DockerfileTail.of("FROM a\nCOPY . /\nRUN true\n", ""), "nothing to commit");
        assertEquals(Optional.empty(), DockerfileTail.of("USER 1\n", ""), "no FROM");
        assertEquals(Optional.empty(), DockerfileTail.of("FROM a\nCOPY . /\nUSER 1 \\", ""), "a dangling escape");
    }

    @Test
    void should_keep_a_cmd_of_an_earlier_stage_out_of_the_way() {
        DockerfileTail tail = DockerfileTail.of("FROM a AS build\nCMD [\"x\"]\nFROM b\nCOPY --from=build /x /x\n"
                + "ENTRYPOINT [\"/x\"]\n", "").orElseThrow();
        assertEquals(List.of("ENTRYPOINT [\"/x\"]"), tail.instructions());
    }

    @Test
    void should_keep_crlf_line_ends_in_the_head() {
        DockerfileTail tail = DockerfileTail.of("FROM a\r\nCOPY . /\r\nUSER 1\r\n", "").orElseThrow();
        assertEquals("FROM a\r\nCOPY . /\r\n", tail.head());
        assertEquals(List.of("USER 1"), tail.instructions());
    }
}
