package io.devk8s.support;

import io.devk8s.Environment;
import io.devk8s.adapter.kubernetes.ApplyListener;
import io.devk8s.adapter.kubernetes.KubernetesCluster;
import io.devk8s.adapter.kubernetes.ObjectRef;
import io.devk8s.adapter.kubernetes.ResourceKind;
import io.devk8s.adapter.template.TemplateSource;
import io.devk8s.service.RenderService;
import io.devk8s.service.RenderedDocument;
import io.devk8s.service.RenderedStack;
import io.devk8s.service.StackOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Puts the real rendered stack on a {@link MockKubernetes} the way {@code devk8s up} leaves it (applied, every
 * Deployment marked available by the simulated controller), through the harness's own unrecorded client, so the
 * test's request record holds only what the command under test does.
 */
public final class StackOnMock {
    private StackOnMock() {
    }

    /** Renders the bundled stack with {@code options} and applies it to the mock; Deployments are left unready. */
    public static RenderedStack apply(MockKubernetes mock, StackOptions options) {
        RenderedStack stack = new RenderService(new TemplateSource(null), new Environment(Map.of(), Path.of("")))
                .renderStack(options);
        KubernetesCluster admin = new KubernetesCluster(mock.admin());
        admin.apply(admin.load(RenderService.toYaml(stack.documents()), "stack"), ApplyListener.NONE);
        return stack;
    }

    /** {@link #apply} plus every Deployment marked available. */
    public static RenderedStack deploy(MockKubernetes mock, StackOptions options) {
        RenderedStack stack = apply(mock, options);
        for (RenderedDocument d : stack.documents()) {
            if (d.kind().equals("Deployment")) {
                mock.markAvailable(d.namespace(), d.name());
            }
        }
        return stack;
    }

    /** Every object of every kind devk8s knows that carries the stack labels, in any namespace. */
    public static List<ObjectRef> labelled(MockKubernetes mock) {
        return new KubernetesCluster(mock.admin()).list(null, io.devk8s.service.StackCatalog.STACK_SELECTOR,
                List.of(ResourceKind.values()));
    }
}
