package io.devk8s.service;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What {@code devk8s hosts show -o json|yaml} prints: the file, the profile, whether its block is there, and the
 * block's entries (address and names, in file order).
 */
@JsonPropertyOrder({"file", "profile", "present", "entries"})
public record HostsBlockReport(String file, String profile, boolean present, List<Entry> entries) {

    public HostsBlockReport {
        entries = List.copyOf(entries);
    }

    @JsonPropertyOrder({"ip", "hosts"})
    public record Entry(String ip, List<String> hosts) {
        public Entry {
            hosts = List.copyOf(hosts);
        }
    }
}
