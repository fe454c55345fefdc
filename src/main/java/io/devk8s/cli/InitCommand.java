package io.devk8s.cli;

import io.devk8s.Services;
import io.devk8s.config.AppKind;
import io.devk8s.service.InitService;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "init",
        header = "Add an app to devk8s.yaml and copy the default templates of its kind into the project.",
        description = {
            "Adds the app NAME (default: this folder's name as a DNS label) to devk8s.yaml in this folder (or the "
                + "file -f names), creating the file when there is none. An existing file keeps every other line, "
                + "comment and blank line as it was; an app of the same name is refused. The app's context is this "
                + "folder, its port 8080, its kind http (or grpc with --grpc).",
            "",
            "The default templates of the kind (what `devk8s deploy` applies for an app without manifests:) are "
                + "copied to deployment/NAME/ next to devk8s.yaml and listed under the app's manifests:, so they "
                + "are yours to change. Existing files are never overwritten unless --force is given.",
            "",
            "The devk8s.yaml schema: docs/devk8s-yaml.md; the templates: docs/templates.md.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s init                        app named after this folder, kind http",
            "  devk8s init greeter --grpc         a gRPC app named greeter",
            "  devk8s init api --dry-run          print the files it would write",
            "  devk8s init web -f ../devk8s.yaml  add to the project file one folder up",
            "  devk8s init web --force            overwrite deployment/web/*.yaml",
            "",
            "Exit codes: 0 ok, 1 a file could not be written, 2 bad NAME, an existing app",
            "or file, or a devk8s.yaml that cannot be read."
        })
public class InitCommand extends BaseCommand {

    @Parameters(paramLabel = "NAME", arity = "0..1", showDefaultValue = Visibility.NEVER,
            description = "The app's name, a DNS label (default: this folder's name).")
    String name;

    @Option(names = "--grpc", description = "A gRPC app (kind: grpc): headless Service, gRPC probes, RBAC.")
    boolean grpc;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH",
            description = "The project file to add to or create (default: devk8s.yaml in this folder).")
    String file;

    @Option(names = "--force", description = "Overwrite template files that exist.")
    boolean force;

    @Option(names = "--dry-run", description = "Print the files it would write; write nothing.")
    boolean dryRun;

    @Override
    protected int run(Services services) {
        var request = new InitService.Request(services.environment().workDir(), Optional.ofNullable(file),
                Optional.ofNullable(name), grpc ? AppKind.GRPC : AppKind.HTTP, force, dryRun);
        return services.initService().init(request);
    }
}
