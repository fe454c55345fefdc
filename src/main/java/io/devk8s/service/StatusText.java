package io.devk8s.service;

import io.devk8s.console.Console;
import io.devk8s.service.StatusReport.Component;
import io.devk8s.service.StatusReport.Hosts;
import io.devk8s.service.StatusReport.Url;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human view of a {@link StatusReport}: aligned lines on stdout, problems and the verdict on stderr. */
final class StatusText {
    private static final String NONE = "-";

    private final Console console;

    StatusText(Console console) {
        this.console = console;
    }

    void print(StatusReport report) {
        var p = report.profile();
        String state = p.state().toLowerCase(Locale.ROOT).replace('_', ' ');
        boolean localCluster = p.driver() != null && List.of("kind", "k3d", "desktop").contains(p.driver());
        String profile = p.name() + "  " + paint(state, p.state().equals("RUNNING") ? Level.GOOD : Level.BAD)
                + (p.ip() == null ? "" : "  " + p.ip())
                + (p.driver() == null ? "" : "  (" + p.driver() + (localCluster ? " cluster)" : " driver)"));
        field(localCluster ? "cluster" : "profile", profile);
        if (p.message() != null && p.state().equals("RUNNING")) {
            field("", p.message());
        }
        var c = report.context();
        String context = c.name() == null ? paint("none", Level.BAD)
                : c.name() + (c.server() == null || c.server().isEmpty() ? "" : "  " + c.server()) + "  "
                        + (c.allowed() ? "(" + c.reason() + ")" : paint("(refused: not the profile's)", Level.BAD));
        field("context", context);
        field("namespace", report.namespace());

        console.data("");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"COMPONENT", "READY", "STATUS", "IMAGE"});
        for (Component comp : report.components()) {
            String ready = comp.ready() == null ? NONE : comp.ready() + "/" + comp.desired();
            String images = comp.images().isEmpty() ? NONE : String.join(", ", comp.images());
            rows.add(new String[] {comp.name(), ready, comp.status(), images});
        }
        table(rows, 2);

        if (!report.urls().isEmpty()) {
            console.data("");
            List<String[]> urls = new ArrayList<>();
            urls.add(new String[] {"URL", ""});
            for (Url url : report.urls()) {
                urls.add(new String[] {url.name(), url.url()});
            }
            table(urls, -1);
        }

        console.data("");
        Hosts h = report.hosts();
        String hosts = switch (h.status()) {
            case Hosts.OK -> paint("ok", Level.GOOD) + "  " + h.file() + " points the stack's hosts at "
                    + h.expectedAddress();
            case Hosts.MISSING -> paint("missing", Level.BAD) + "  no devk8s block for " + report.profile().name()
                    + " in " + h.file();
            case Hosts.STALE -> paint("stale", Level.BAD) + "  " + h.file() + " points at "
                    + String.join(", ", h.addresses()) + ", expected " + h.expectedAddress();
            case Hosts.INCOMPLETE -> paint("incomplete", Level.WARN) + "  " + h.file() + " lacks "
                    + String.join(", ", h.missingHosts());
            default -> paint("unverified", Level.WARN) + "  " + h.file() + " has a block pointing at "
                    + String.join(", ", h.addresses()) + " (cluster address unknown)";
        };
        field("hosts", hosts);

        report.problems().forEach(console::warn);
        switch (report.health()) {
            case StatusReport.HEALTHY -> console.success("stack healthy");
            case StatusReport.DEGRADED -> console.info("stack degraded: " + count(report.problems().size()));
            default -> console.info("stack unavailable: " + count(report.problems().size()));
        }
    }

    private static String count(int problems) {
        return problems + " problem" + (problems == 1 ? "" : "s");
    }

    private void field(String name, String value) {
        console.data(String.format("%-10s %s", name, value));
    }

    /** Aligned columns; {@code statusColumn} (or -1) is painted by its value. */
    private void table(List<String[]> rows, int statusColumn) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = i == columns - 1 ? rows.get(r)[i] : String.format("%-" + width[i] + "s  ", rows.get(r)[i]);
                if (r == 0) {
                    cell = console.bold(cell);
                } else if (i == statusColumn) {
                    String value = rows.get(r)[i];
                    cell = paint(cell, value.equals(Component.AVAILABLE) ? Level.GOOD
                            : value.equals(Component.PROGRESSING) || value.equals(Component.UNKNOWN) ? Level.WARN
                            : Level.BAD);
                }
                line.append(cell);
            }
            console.data(line.toString().stripTrailing());
        }
    }

    private enum Level { GOOD, WARN, BAD }

    private String paint(String text, Level level) {
        return switch (level) {
            case GOOD -> console.green(text);
            case WARN -> console.yellow(text);
            case BAD -> console.red(text);
        };
    }
}
