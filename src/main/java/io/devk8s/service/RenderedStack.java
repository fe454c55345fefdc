package io.devk8s.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rendered stack: the values used, the enabled components (in stack order) and every document in
 * apply order.
 */
public record RenderedStack(StackValues values, List<String> components, List<RenderedDocument> documents) {
    private static final Pattern ROUTE_HOST = Pattern.compile("Host\\(`([^`]+)`\\)");

    public RenderedStack {
        components = List.copyOf(components);
        documents = List.copyOf(documents);
    }

    /** The documents of one component, in apply order. */
    public List<RenderedDocument> documents(String component) {
        return documents.stream().filter(d -> d.component().equals(component)).toList();
    }

    /**
     * Every hostname the stack routes: {@code spec.rules[].host} of Ingresses and {@code Host(`...`)} in
     * {@code spec.routes[].match} of Traefik IngressRoutes, in apply order, without duplicates. These are
     * the names {@code /etc/hosts} needs.
     */
    public List<String> hostnames() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        LinkedHashSet<String> hosts = new LinkedHashSet<>();
        for (RenderedDocument d : documents) {
            if (!d.kind().equals("Ingress") && !d.kind().equals("IngressRoute")) {
                continue;
            }
            JsonNode spec;
            try {
                spec = yaml.readTree(d.yaml()).path("spec");
            } catch (JsonProcessingException e) {
                continue; // documents were parsed once already when rendering
            }
            for (JsonNode rule : spec.path("rules")) {
                if (rule.path("host").isTextual()) {
                    hosts.add(rule.path("host").asText());
                }
            }
            for (JsonNode route : spec.path("routes")) {
                Matcher m = ROUTE_HOST.matcher(route.path("match").asText(""));
                while (m.find()) {
                    hosts.add(m.group(1));
                }
            }
        }
        return List.copyOf(hosts);
    }
}
