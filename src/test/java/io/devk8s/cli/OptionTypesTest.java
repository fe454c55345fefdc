package io.devk8s.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.devk8s.Devk8s;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * devk8s turns off picocli's reflective converters for java.sql, java.time and Path types (start-up time): every
 * option and parameter of every command must then have a type picocli converts without them, or its own converter.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OptionTypesTest {
    /** The types of picocli's converters that are registered by reflection, which devk8s turns off. */
    private static final String REFLECTIVE = "java\\.(sql|time)\\..*|java\\.nio\\.file\\.Path";

    @Test
    void no_option_needs_a_built_in_converter_that_devk8s_turns_off() {
        PrintWriter out = new PrintWriter(new StringWriter());
        CommandLine root = Devk8sCommand.commandLine(new Devk8sCommand(), out, out);
        Pattern excluded = Pattern.compile(REFLECTIVE);
        List<String> problems = new ArrayList<>();
        int[] checked = {0};
        walk(root, cmd -> {
            for (ArgSpec arg : cmd.getCommandSpec().args()) {
                if (arg.converters().length > 0) {
                    continue;
                }
                List<Class<?>> types = new ArrayList<>(List.of(arg.type()));
                types.addAll(List.of(arg.auxiliaryTypes()));
                for (Class<?> type : types) {
                    checked[0]++;
                    if (excluded.matcher(type.getName()).matches()) {
                        problems.add(cmd.getCommandName() + " " + arg.paramLabel() + ": " + type.getName()
                                + " (give it a converter, or take it out of Devk8s.PICOCLI_CONVERTERS_EXCLUDED)");
                    }
                }
            }
        });
        assertTrue(checked[0] > 50, "option types checked: " + checked[0]);
        assertEquals(List.of(), problems);
    }

    @Test
    void picocli_s_reflective_converters_are_the_types_this_test_checks_and_devk8s_turns_them_all_off() throws Exception {
        // the types picocli registers by reflection: the names its converter registration passes to its check
        String source = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("devk8s.project.dir", "."),
                "target/generated-sources/picocli/picocli/CommandLine.java"));
        java.util.regex.Matcher m = Pattern.compile("if \\(!excl\\(\"([^\"]+)\"\\)\\)").matcher(source);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        assertTrue(names.size() >= 15, "picocli's reflective converters: " + names);
        Pattern all = Pattern.compile(Devk8s.PICOCLI_CONVERTERS_EXCLUDED);
        for (String name : names) {
            assertTrue(Pattern.compile(REFLECTIVE).matcher(name).matches(), "not covered by this test: " + name);
            assertTrue(all.matcher(name).matches(), "not turned off: " + name);
        }
    }

    private static void walk(CommandLine cmd, java.util.function.Consumer<CommandLine> visit) {
        visit.accept(cmd);
        cmd.getSubcommands().values().stream().distinct().forEach(sub -> walk(sub, visit));
    }
}
