package io.devk8s.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one place data becomes JSON or YAML: a command hands over the report record a service returned, and this
 * writes it to stdout alone (no colour, no progress lines), field order as the record declares it. Text is the
 * command's own view of the same record.
 */
public final class DataPrinter {
    private DataPrinter() {
    }

    /** Prints {@code report} as {@code format}; for {@link OutputFormat#text} runs {@code text} instead. */
    public static void print(Console console, OutputFormat format, Object report, Runnable text) {
        switch (format) {
            case json -> console.data(toJson(report));
            case yaml -> console.data(toYaml(report));
            case text -> text.run();
        }
    }

    public static String toJson(Object report) {
        return write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT), report);
    }

    public static String toYaml(Object report) {
        return write(YAMLMapper.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .disable(YAMLGenerator.Feature.SPLIT_LINES).build(), report).stripTrailing();
    }

    private static String write(ObjectMapper mapper, Object report) {
        try {
            return mapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + report.getClass().getSimpleName(), e);
        }
    }
}
