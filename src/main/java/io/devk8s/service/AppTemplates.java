package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.template.EnvSubst;
import io.devk8s.adapter.template.TemplateEngine;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.config.AppConfig;
import io.devk8s.config.AppKind;
import io.devk8s.config.ProjectFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The templates an app of {@code devk8s.yaml} is deployed with: the files its {@code manifests:} lists or, when it
 * lists none, the default templates of its {@code kind} ({@code templates/app/http/}, {@code templates/app/grpc/},
 * bundled like the stack's). Both are rendered the same way ({@code ${VAR}} strictly, then Jinja) with the same
 * variables, so a copy of the defaults written by {@code devk8s init} renders exactly as the defaults do.
 */
public final class AppTemplates {
    /** The folder of the bundled templates that holds one subfolder per app kind. */
    public static final String ROOT = "app";

    /** One template: its name for messages (a project file, or {@code templates/app/<kind>/<file>}) and text. */
    public record Template(String name, String text) {}

    /** One rendered template: where it came from (for messages) and the rendered YAML. */
    public record Rendered(String source, String text) {}

    private AppTemplates() {}

    /**
     * The bundled default templates of a kind in apply order, keyed by file name ({@code 20-deployment.yaml}),
     * unrendered.
     */
    public static Map<String, String> defaults(TemplateSource bundled, AppKind kind) {
        Map<String, String> files = new LinkedHashMap<>();
        String folder = ROOT + "/" + kind.yamlName() + "/";
        for (String path : bundled.list(folder)) {
            String file = path.substring(folder.length());
            if (!file.contains("/") && file.endsWith(".yaml")) {
                files.put(file, bundled.read(path));
            }
        }
        if (files.isEmpty()) {
            throw Devk8sException.failure("the default templates of kind " + kind.yamlName() + " (templates/" + folder
                    + ") are missing from this build of devk8s");
        }
        return files;
    }

    /**
     * The variables the app templates get besides devk8s's own ({@code APP}, {@code IMAGE}, ...): {@code PORT} (the
     * container port), {@code KIND} ({@code http} or {@code grpc}), {@code INGRESS} (the host's first label, empty
     * for {@code ingress: false}) and {@code STACK_NAMESPACE} (where the stack's Jaeger runs).
     */
    public static Map<String, String> variables(AppConfig app, String stackNamespace) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("PORT", String.valueOf(app.port()));
        vars.put("KIND", app.kind().yamlName());
        vars.put("INGRESS", app.ingress().orElse(""));
        vars.put("STACK_NAMESPACE", stackNamespace);
        return vars;
    }

    /**
     * Renders the app's templates: each through {@code subst} ({@code ${VAR}}), then Jinja with {@code jinja} plus
     * {@code env}, the app's {@code env:} map with its values substituted.
     *
     * @throws Devk8sException (usage) naming the template file and line, or the {@code env:} entry
     */
    public static List<Rendered> render(ProjectFile project, AppConfig app, EnvSubst subst, Map<String, Object> jinja) {
        Map<String, String> env = new LinkedHashMap<>();
        app.env().forEach((k, v) -> env.put(k, subst.apply(app.location() + " env." + k, v)));
        Map<String, Object> context = new LinkedHashMap<>(jinja);
        context.put("env", env);
        List<Rendered> out = new ArrayList<>();
        if (app.manifests().isEmpty()) {
            TemplateSource bundled = TemplateSource.bundled();
            TemplateEngine engine = new TemplateEngine(bundled, subst);
            String folder = ROOT + "/" + app.kind().yamlName() + "/";
            for (String file : defaults(bundled, app.kind()).keySet()) {
                out.add(new Rendered("templates/" + folder + file + " (default template of kind: "
                        + app.kind().yamlName() + ")", engine.render(folder + file, context)));
            }
            return out;
        }
        TemplateEngine engine = new TemplateEngine(new TemplateSource(project.dir()), subst);
        for (Path file : app.manifests()) {
            String rel = project.dir().relativize(file).toString().replace('\\', '/');
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw Devk8sException.usage(file + ": cannot read: " + e.getMessage());
            }
            out.add(new Rendered(file.toString(), engine.renderText(rel, text, context)));
        }
        return out;
    }
}
