package io.devk8s.cli;

import io.devk8s.Devk8sException;
import io.devk8s.ExitCode;
import io.devk8s.Services;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion",
        header = "Print the shell completion script for bash or zsh.",
        description = {
            "Prints the script that completes devk8s's commands, flags and values when you press Tab. Flags and "
                + "commands come from the script itself; apps (from devk8s.yaml), minikube profiles (from "
                + "minikube's home folder), kube contexts (from the kubeconfig) and stack components are read "
                + "when you press Tab, without starting Java. install.sh installs both scripts.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(devk8s completion bash)     bash: this shell; add it to ~/.bashrc",
            "  devk8s completion bash > ~/.local/share/bash-completion/completions/devk8s",
            "  devk8s completion zsh > ~/.zfunc/_devk8s",
            "      zsh: with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc",
            "  source <(devk8s completion zsh)      zsh: this shell (after compinit)"
        })
public class CompletionCommand extends BaseCommand {

    /** The shells with a script; lower case because these are the words users type and Tab offers. */
    enum Shell {
        bash("devk8s.bash"),
        zsh("_devk8s");

        final String file;

        Shell(String file) {
            this.file = file;
        }
    }

    /** Where the build puts the committed scripts of {@code completions/} inside the jar. */
    static final String RESOURCE_DIR = "META-INF/devk8s/completions/";

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    protected int run(Services services) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(script(shell)); // print, not println: the script ends with its own newline, on every platform
        out.flush();
        return ExitCode.OK;
    }

    static String script(Shell shell) {
        try (InputStream in = CompletionCommand.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + shell.file)) {
            if (in == null) {
                throw new Devk8sException(ExitCode.FAILURE, "this devk8s build has no " + shell + " completion script ("
                        + RESOURCE_DIR + shell.file + "); rebuild it with mvn package, or use completions/" + shell.file
                        + " of the source tree");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Devk8sException(ExitCode.FAILURE, "cannot read the " + shell + " completion script: " + e.getMessage());
        }
    }
}
