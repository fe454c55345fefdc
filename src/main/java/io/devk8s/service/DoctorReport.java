package io.devk8s.service;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.devk8s.ExitCode;
import java.util.List;
import java.util.Locale;

/**
 * What {@code devk8s doctor -o json|yaml} prints: whether no check failed, and each check with its outcome
 * ({@code ok}, {@code warn}, {@code fail}, {@code skip}), what was found and the fix (null when ok).
 */
@JsonPropertyOrder({"ok", "checks"})
public record DoctorReport(boolean ok, List<Entry> checks) {

    @JsonPropertyOrder({"name", "status", "message", "fix"})
    public record Entry(String name, String status, String message, String fix) {
    }

    public static DoctorReport of(DoctorService.Report report) {
        return new DoctorReport(report.exitCode() == ExitCode.OK, report.checks().stream()
                .map(c -> new Entry(c.name(), c.level().name().toLowerCase(Locale.ROOT), c.message(),
                        c.fix().orElse(null)))
                .toList());
    }
}
