package io.devk8s.cli;

import io.devk8s.Environment;
import io.devk8s.ExitCode;
import io.devk8s.Services;
import io.devk8s.service.RenderService;
import io.devk8s.service.RenderedStack;
import io.devk8s.service.WrittenFile;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code devk8s render stack}: the dev stack as YAML on stdout, or one file per component. */
@Command(name = "stack",
        header = "Print the dev stack (Traefik, Prometheus, Grafana, Jaeger) as Kubernetes YAML.",
        description = {
            "Renders the stack exactly as 'devk8s up' would apply it: stack/namespace.yaml, then each "
                + "component's templates, in apply order (namespaces, RBAC, config, workloads, services, "
                + "ingresses). Each document is preceded by a '# Source: stack/<component>/<file>' comment.",
            "",
            "Values come from the bundled stack/values.yaml and stack/versions.yaml; --set, --namespace "
                + "and --domain override them, and every value is checked against stack/values.schema.yaml "
                + "(type and allowed values) before anything renders. Templates are Jinja; $${NAME} and $${NAME:-default} in a "
                + "template are replaced from the environment first (an unset NAME without default is an error).",
            "",
            "Nothing is written unless everything rendered: with --out, files are written only after the "
                + "whole stack rendered without error, each one replaced in a single step; new files get the "
                + "permissions your umask gives, existing files keep theirs."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  # the whole stack on stdout; check it with kubectl",
            "  devk8s render stack",
            "  devk8s render stack | kubectl apply --dry-run=client -f -",
            "",
            "  # another namespace, hostnames *.test, a value of values.yaml, some components",
            "  devk8s render stack --namespace dev --domain test",
            "  devk8s render stack --set traefik.nodePort=30080",
            "  devk8s render stack --set grafana.anonymousRole=Viewer",
            "  devk8s render stack --components traefik,grafana",
            "",
            "  # generate, commit, customise: 00-namespace.yaml, 10-traefik.yaml, ...",
            "  devk8s render stack --out k8s/stack",
            "",
            "  # my-templates/stack/traefik/deployment.yaml replaces the bundled one",
            "  devk8s render stack --templates my-templates"
        })
public class RenderStackCommand extends BaseCommand {

    @Mixin
    StackFlags stack;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write one file per component into DIR instead of printing.")
    String out;

    @Override
    protected int run(Services services) {
        Environment env = services.environment();
        RenderService render = services.renderService(this.stack.templatesDir(env));
        RenderedStack stack = render.renderStack(this.stack.options());
        if (out == null) {
            console().out().print(RenderService.toYaml(stack.documents()));
            console().out().flush();
            return ExitCode.OK;
        }
        List<WrittenFile> written = render.writeByComponent(stack, env.resolve(out));
        for (WrittenFile file : written) {
            console().info("wrote " + Path.of(out).resolve(file.path().getFileName()) + " (" + file.documents()
                    + (file.documents() == 1 ? " document)" : " documents)"));
        }
        for (Path leftover : render.leftoverFiles(env.resolve(out), written)) {
            console().warn(Path.of(out).resolve(leftover.getFileName()) + " was not rendered this time (another "
                    + "component or an older run); delete it if you no longer want it applied");
        }
        console().success("rendered " + stack.documents().size() + " documents into " + out);
        return ExitCode.OK;
    }
}
