package io.devk8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which command lines turn the libraries' logging on (before picocli parses anything). */
class Devk8sLoggingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "status|off",
        "status -v|debug",
        "status --verbose|debug",
        "deploy -qv web|debug",
        "deploy -vq|debug",
        "deploy --v|off",
        "deploy -x1v|off",
        "shell web -- sh -v|off",
        "shell -v web -- sh|debug",
        "-|off",
    })
    void verboseFlagsAnywhereBeforeTheDoubleDash(String line, String level) {
        String before = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel");
        try {
            Devk8s.configureLogging(line.split(" "));
            assertEquals(level, System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"), line);
        } finally {
            if (before == null) {
                System.clearProperty("org.slf4j.simpleLogger.defaultLogLevel");
            } else {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", before);
            }
        }
    }
}
