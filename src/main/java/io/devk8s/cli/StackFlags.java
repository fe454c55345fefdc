package io.devk8s.cli;

import io.devk8s.Environment;
import io.devk8s.service.StackOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags that choose what the stack renders to, shared by {@code render stack} and {@code up}. */
public class StackFlags {

    @Mixin
    NamespaceOption namespace = new NamespaceOption();

    @Option(names = "--domain", paramLabel = "DOMAIN",
            description = "Domain the stack's hostnames end with, e.g. grafana.DOMAIN (default: domain in values.yaml, minikube).")
    String domain;

    @Option(names = "--set", paramLabel = "KEY=VALUE", showDefaultValue = Visibility.NEVER,
            description = "Override a value of values.yaml or versions.yaml by its dotted key; the value is "
                    + "typed like the default (number, true/false, text) and checked against values.schema.yaml. "
                    + "Repeatable.")
    List<String> sets = new ArrayList<>();

    // not split by picocli: it drops empty parts, so '--components ,,' would silently mean all components
    @Option(names = "--components", paramLabel = "NAME[,NAME...]", showDefaultValue = Visibility.NEVER,
            description = "Comma-separated components (default: all: traefik,prometheus,grafana,jaeger).")
    List<String> components = new ArrayList<>();

    @Option(names = "--templates", paramLabel = "DIR",
            description = "Folder whose files replace the bundled templates of the same relative path "
                    + "(DIR/stack/<component>/<file>); its stack/values.yaml is merged over the defaults.")
    String templates;

    StackOptions options() {
        return new StackOptions(namespace.value().orElse(null), domain, sets, components);
    }

    /** The {@code --templates} folder resolved against the working directory, or null. */
    Path templatesDir(Environment environment) {
        return templates == null ? null : environment.resolve(templates);
    }
}
