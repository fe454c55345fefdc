package io.devk8s.service.logs;

import io.devk8s.console.Console;
import java.util.HashMap;
import java.util.Map;

/**
 * The one writer of {@code devk8s logs}: every line goes out whole, prefixed {@code pod/container}, under one lock,
 * so lines of concurrent streams never split or interleave. On a terminal each pod's prefix has its own colour.
 */
final class LogPrinter {
    private final Console console;
    private final Map<String, Integer> colours = new HashMap<>();

    LogPrinter(Console console) {
        this.console = console;
    }

    synchronized void line(String pod, String container, String text) {
        int colour = colours.computeIfAbsent(pod, p -> colours.size());
        console.data(console.palette(colour, pod + "/" + container) + " " + text);
    }
}
