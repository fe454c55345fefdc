package io.devk8s.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code devk8s render <what>}: prints manifests without touching a cluster. */
@Command(name = "render",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        header = "Print Kubernetes manifests instead of applying them.",
        description = {
            "Renders manifests from the bundled templates (or your own copies) without touching a cluster: "
                + "to review what devk8s would apply, or to generate files you commit and customise."
        },
        subcommands = {RenderStackCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  devk8s render stack > stack.yaml",
            "  devk8s render stack --out k8s/stack"
        })
public class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say what to render, e.g. 'devk8s render stack'");
    }
}
