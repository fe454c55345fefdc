package io.devk8s.support;

import io.devk8s.Services;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.cli.Devk8sCommand;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * A small stand-in for the bundled templates (test resources under {@code fixture-templates/}), seen through
 * a class loader of its own so tests do not depend on, and are not disturbed by, the real bundled stack.
 */
public final class FixtureTemplates {
    private FixtureTemplates() {}

    /** Finds {@code META-INF/devk8s/templates/...} in the fixture folder only. */
    public static ClassLoader bundle() {
        URL root = FixtureTemplates.class.getResource("/fixture-templates/");
        if (root == null) {
            throw new IllegalStateException("fixture-templates missing from the test class path");
        }
        return new URLClassLoader(new URL[] {root}, null);
    }

    /** A class loader with no bundled templates at all. */
    public static ClassLoader empty() {
        return new URLClassLoader(new URL[0], null);
    }

    /** The fixture bundle shadowed by {@code overrideDir} (may be null). */
    public static TemplateSource source(Path overrideDir) {
        return new TemplateSource(overrideDir, bundle());
    }

    /** Services whose templates are the fixture bundle (plus any {@code --templates} folder). */
    public static Devk8sCommand.ServicesFactory services() {
        return (environment, console) -> new Services(environment, console) {
            @Override
            public TemplateSource templateSource(Path overrideDir) {
                return source(overrideDir);
            }
        };
    }
}
