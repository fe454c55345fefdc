package io.devk8s.service;

import io.devk8s.config.AppConfig;
import io.devk8s.config.ProjectFile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** For tests of other packages: an app's templates rendered as {@code devk8s deploy} renders them, as objects. */
public final class AppTemplatesTestAccess {
    private AppTemplatesTestAccess() {}

    /** The app's templates (its manifests: files, or the defaults of its kind) rendered into typed objects. */
    public static List<HasMetadata> render(ProjectFile project, AppConfig app) {
        ProjectFile only = new ProjectFile(project.file(), project.project(), project.namespace(), List.of(app));
        return AppTemplatesTest.objects(AppTemplatesTest.render(only, app.name(), "default"));
    }

    /** The default templates of the app's kind rendered for it, as if it listed no manifests. */
    public static List<HasMetadata> renderDefaults(ProjectFile project, AppConfig app) {
        AppConfig defaults = new AppConfig(app.name(), app.image(), app.context(), app.dockerfile(), app.buildArgs(),
                app.target(), app.build(), List.of(), List.of(), app.kind(), app.port(), app.ingress(), app.env(),
                app.location());
        return render(project, defaults);
    }
}
