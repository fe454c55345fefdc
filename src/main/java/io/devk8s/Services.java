package io.devk8s;

import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.console.Console;
import io.devk8s.service.RenderService;
import java.nio.file.Path;

/**
 * The composition root: builds each adapter lazily, on first use, so that a command pays only for the
 * outside systems it talks to (no fabric8 or docker-java classes load for {@code --help} or
 * {@code render}), and closes what it built.
 */
public class Services implements AutoCloseable {
    private final Environment environment;
    private final Console console;

    public Services(Environment environment, Console console) {
        this.environment = environment;
        this.console = console;
    }

    public Environment environment() {
        return environment;
    }

    public Console console() {
        return console;
    }

    /** Templates: the bundled ones, shadowed file by file by {@code overrideDir} when it is not null. */
    public TemplateSource templateSource(Path overrideDir) {
        return new TemplateSource(overrideDir);
    }

    /** Renders the stack from {@link #templateSource(Path)}, with {@code ${NAME}} from this environment. */
    public RenderService renderService(Path templatesDir) {
        return new RenderService(templateSource(templatesDir), environment);
    }

    @Override
    public void close() {
        // adapters built lazily are closed here
    }
}
