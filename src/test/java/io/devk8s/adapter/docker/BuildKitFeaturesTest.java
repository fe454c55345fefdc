package io.devk8s.adapter.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BuildKitFeaturesTest {

    private static BuildKitFeatures.Need need(String dockerfile) {
        Optional<BuildKitFeatures.Need> n = BuildKitFeatures.firstNeed(dockerfile);
        assertTrue(n.isPresent(), "expected a BuildKit need in:\n" + dockerfile);
        return n.get();
    }

    private static void classic(String dockerfile) {
        assertEquals(List.of(), BuildKitFeatures.needs(dockerfile), dockerfile);
    }

    @Test
    void should_find_a_cache_mount_on_its_line() {
        BuildKitFeatures.Need n = need("FROM golang:1.22\nWORKDIR /src\n\nRUN --mount=type=cache,target=/root/.cache/go-build go build ./...\n");
        assertEquals(4, n.line());
        assertEquals("a cache mount", n.why());
        assertTrue(n.describe().startsWith("line 4: RUN --mount=type=cache"), n.describe());
        assertTrue(n.at(java.nio.file.Path.of("app/Dockerfile")).startsWith("app/Dockerfile:4: RUN --mount=type=cache"));
    }

    @Test
    void should_name_secrets_ssh_bind_and_tmpfs_mounts() {
        assertEquals("a build secret", need("FROM x\nRUN --mount=type=secret,id=npm cat /run/secrets/npm\n").why());
        assertEquals("an SSH agent mount", need("FROM x\nRUN --mount=type=ssh git clone git@host:r\n").why());
        assertEquals("a bind mount", need("FROM x\nRUN --mount=target=/src make\n").why());
        assertEquals("a tmpfs mount", need("FROM x\nRUN --mount=type=tmpfs,target=/t true\n").why());
        assertEquals("a cache mount", need("FROM x\nRUN --mount=target=/c,TYPE=cache true\n").why());
    }

    @Test
    void should_find_other_run_flags() {
        assertEquals("RUN --network is a BuildKit flag", need("FROM x\nRUN --network=none make\n").why());
        assertEquals("RUN --security is a BuildKit flag", need("FROM x\nrun --security=insecure make\n").why());
    }

    @ParameterizedTest
    @ValueSource(strings = {"# syntax=docker/dockerfile:1", "#syntax=docker/dockerfile:1.7", "# SYNTAX = docker/dockerfile:1",
        "#  Syntax=docker/dockerfile:1"})
    void should_find_the_syntax_directive_whatever_its_case_and_spacing(String directive) {
        BuildKitFeatures.Need n = need(directive + "\nFROM scratch\nCOPY a /a\n");
        assertEquals(1, n.line());
        assertEquals("a frontend image named by the syntax directive", n.why());
    }

    @Test
    void should_find_the_syntax_directive_after_another_directive() {
        assertEquals(2, need("# escape=\\\n# syntax=docker/dockerfile:1\nFROM x\n").line());
        assertEquals(2, need("\uFEFF# check=skip=all\n# syntax=docker/dockerfile:1\nFROM x\n").line());
    }

    @Test
    void should_not_take_a_syntax_comment_after_the_directives_for_a_directive() {
        classic("# a comment\n# syntax=docker/dockerfile:1\nFROM x\n");
        classic("\n# syntax=docker/dockerfile:1\nFROM x\n");
        classic("FROM x\n# syntax=docker/dockerfile:1\nRUN true\n");
        classic("# unknown=1\n# syntax=docker/dockerfile:1\nFROM x\n");
    }

    @Test
    void should_find_copy_and_add_flags_the_classic_builder_rejects() {
        assertEquals("COPY --chmod is a BuildKit flag", need("FROM x\nCOPY --chmod=755 a /a\n").why());
        assertEquals("COPY --link is a BuildKit flag", need("FROM x\nCOPY --link a /a\n").why());
        assertEquals("COPY --link is a BuildKit flag", need("FROM x\nCOPY --from=build --link /a /a\n").why());
        assertEquals("COPY --parents is a BuildKit flag", need("FROM x\ncopy --parents ./a/ /a\n").why());
        assertEquals("COPY --exclude is a BuildKit flag", need("FROM x\nCOPY --exclude=*.md . /a\n").why());
        assertEquals("ADD --chmod is a BuildKit flag", need("FROM x\nADD --chmod=700 a /a\n").why());
        assertEquals("ADD --checksum is a BuildKit flag", need("FROM x\nADD --checksum=sha256:00 https://x/a /a\n").why());
        assertEquals("ADD --keep-git-dir is a BuildKit flag", need("FROM x\nADD --keep-git-dir=true https://x/r.git /r\n").why());
    }

    @Test
    void should_let_the_classic_flags_and_instructions_pass() {
        classic("FROM --platform=$BUILDPLATFORM golang AS build\nCOPY --from=build --chown=1000:1000 /a /a\n"
                + "ADD --chown=0:0 a.tar /\nRUN go build -o /out ./...\nRUN [\"sh\", \"-c\", \"echo --mount\"]\n"
                + "CMD [\"/app\", \"--mount=nothing\"]\nENV X=\"--link\"\nLABEL a=\"<<EOF\"\n");
    }

    @Test
    void should_find_heredocs_in_run_copy_and_add() {
        assertEquals("a heredoc (<<EOF) in RUN", need("FROM x\nRUN <<EOF\napk add git\nEOF\n").why());
        assertEquals("a heredoc (<<END) in RUN", need("FROM x\nRUN <<-END\n\techo hi\n\tEND\n").why());
        assertEquals("a heredoc (<<EOT) in COPY", need("FROM x\nCOPY <<\"EOT\" /etc/x.conf\nkey=1\nEOT\n").why());
        assertEquals("a heredoc (<<EOT) in ADD", need("FROM x\nADD <<'EOT' /x\nv\nEOT\n").why());
        assertEquals("a heredoc (<<EOF) in RUN", need("FROM x\nRUN python3 <<EOF\nprint(1)\nEOF\n").why());
    }

    @Test
    void should_not_take_a_here_string_or_an_exec_form_for_a_heredoc() {
        classic("FROM x\nRUN cat <<<\"hi\"\n");
        classic("FROM x\nRUN [\"sh\", \"-c\", \"cat <<EOF\"]\n");
        classic("FROM x\nRUN echo 'a << b'\n");
        classic("FROM x\nRUN echo \"<<EOF\" > /x\n");
    }

    @Test
    void should_not_read_a_heredoc_body_as_instructions() {
        List<BuildKitFeatures.Need> all = BuildKitFeatures.needs("FROM x\nRUN <<EOF\nRUN --mount=type=cache true\nEOF\nRUN true\n");
        assertEquals(1, all.size(), all.toString());
        assertEquals(2, all.get(0).line());
        List<BuildKitFeatures.Need> two = BuildKitFeatures.needs("FROM x\nCOPY <<A 3<<B /dir/\nRUN --x\nA\nCOPY --link\nB\nCOPY --link a /a\n");
        assertEquals(List.of(2, 7), two.stream().map(BuildKitFeatures.Need::line).toList(), two.toString());
    }

    @Test
    void should_join_continued_lines_and_report_the_line_the_instruction_starts_on() {
        BuildKitFeatures.Need n = need("FROM x\nRUN \\\n  --mount=type=cache,target=/c \\\n  make\n");
        assertEquals(2, n.line());
        assertEquals("a cache mount", n.why());
        assertTrue(n.text().contains("make"), n.text());
    }

    @Test
    void should_skip_comments_and_blank_lines_inside_a_continued_instruction() {
        BuildKitFeatures.Need n = need("FROM x\nRUN echo a && \\\n# a comment inside\n    echo b\nCOPY --chmod=644 a /a\n");
        assertEquals(5, n.line());
        classic("FROM x\nRUN echo a \\\n  # --mount=type=cache in a comment\n  && echo b\n");
    }

    @Test
    void should_ignore_flags_in_comments() {
        classic("FROM x\n# RUN --mount=type=cache,target=/c make\n   # COPY --link a /a\nRUN make\n");
    }

    @Test
    void should_use_the_escape_directive_for_continuations() {
        BuildKitFeatures.Need n = need("# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  C:\\ `\n  && echo --x\nRUN `\n  --mount=type=cache,target=C:\\c dir\n");
        assertEquals(6, n.line());
        // with the backtick as escape, a trailing backslash continues nothing: line 3 is a whole RUN
        classic("# escape=`\nFROM x\nRUN dir C:\\\nCOPY a /a\n");
    }

    @Test
    void should_read_instructions_case_insensitively_and_with_crlf_line_ends() {
        assertEquals(3, need("FROM x\r\n\r\nRun --mount=type=cache,target=/c true\r\n").line());
        assertEquals(2, need("from x\r\ncOpY --link a /a\r\n").line());
    }

    @Test
    void should_list_every_need_in_file_order() {
        List<BuildKitFeatures.Need> all = BuildKitFeatures.needs("# syntax=docker/dockerfile:1\nFROM x\n"
                + "RUN --mount=type=cache,target=/c true\nCOPY --link a /a\nRUN true\n");
        assertEquals(List.of(1, 3, 4), all.stream().map(BuildKitFeatures.Need::line).toList());
    }

    @Test
    void should_cut_long_instructions_in_the_description() {
        String longRun = "RUN --mount=type=cache,target=/c " + "x".repeat(200);
        String d = need("FROM x\n" + longRun + "\n").describe();
        assertTrue(d.length() < 120, d);
        assertTrue(d.endsWith("... (a cache mount)"), d);
    }

    @Test
    void should_find_nothing_in_an_empty_or_plain_dockerfile() {
        classic("");
        classic("FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\",\"--install\",\"-s\",\"/bin\"]\n");
    }
}
