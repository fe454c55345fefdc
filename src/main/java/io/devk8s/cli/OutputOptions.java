package io.devk8s.cli;

import io.devk8s.console.Console;
import io.devk8s.console.DataPrinter;
import io.devk8s.console.OutputFormat;
import picocli.CommandLine.Option;

/** {@code -o/--output text|json|yaml}: the same flag, values and printer for every command that prints data. */
public class OutputOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES}. With json and yaml, stdout holds only the "
                    + "document.")
    OutputFormat output = OutputFormat.text;

    OutputFormat format() {
        return output;
    }

    /** The report as JSON or YAML on stdout, or {@code text} for the text view. */
    void print(Console console, Object report, Runnable text) {
        DataPrinter.print(console, output, report, text);
    }
}
