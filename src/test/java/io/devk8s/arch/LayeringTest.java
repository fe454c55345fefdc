package io.devk8s.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;

/**
 * The layering the project rules describe, checked on the compiled main classes: {@code cli} (picocli only)
 * calls {@code service}, which calls {@code adapter} (one package per outside system); the composition root
 * {@code io.devk8s.Services} wires them. Known violations are listed by name below, each with what removes it;
 * any other violation fails the build.
 */
@AnalyzeClasses(packages = "io.devk8s", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    private static final String[] KUBERNETES_OR_DOCKER = {"io.fabric8..", "com.github.dockerjava.."};

    /** Service classes allowed to see a fabric8 type, as "origin -> target": none. */
    private static final Set<String> KNOWN_SERVICE_TO_FABRIC8 = Set.of();

    @ArchTest
    static final ArchRule cli_imports_no_adapter_nor_kubernetes_or_docker_class =
            classes().that().resideInAPackage("io.devk8s.cli..")
                    .should(notDependOn(in("io.devk8s.adapter..", KUBERNETES_OR_DOCKER[0], KUBERNETES_OR_DOCKER[1]),
                            Set.of()));

    @ArchTest
    static final ArchRule service_imports_no_kubernetes_or_docker_class =
            classes().that().resideInAPackage("io.devk8s.service..")
                    .should(notDependOn(in(KUBERNETES_OR_DOCKER), KNOWN_SERVICE_TO_FABRIC8));

    @ArchTest
    static final ArchRule service_does_not_reach_back_to_the_composition_root_or_the_main_class =
            classes().that().resideInAPackage("io.devk8s.service..")
                    .should(notDependOn(named("io.devk8s.Services", "io.devk8s.Devk8s"), Set.of()));

    @ArchTest
    static final ArchRule adapter_imports_no_service_nor_cli_class =
            classes().that().resideInAPackage("io.devk8s.adapter..")
                    .should(notDependOn(in("io.devk8s.service..", "io.devk8s.cli..", "io.devk8s.console.."),
                            Set.of()))
                    .andShould(notDependOn(named("io.devk8s.Services", "io.devk8s.Devk8s"), Set.of()));

    @ArchTest
    static final ArchRule no_cycles_between_packages =
            slices().matching("io.devk8s.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule no_cycles_between_adapters =
            slices().matching("io.devk8s.adapter.(*)..").should().beFreeOfCycles();

    private static DescribedPredicate<JavaClass> in(String... packages) {
        return JavaClass.Predicates.resideInAnyPackage(packages);
    }

    private static DescribedPredicate<JavaClass> named(String... names) {
        Set<String> set = Set.of(names);
        return DescribedPredicate.describe(String.join(" or ", names), c -> set.contains(c.getName()));
    }

    /** No dependency on a class matching {@code targets}, except the listed "origin -> target" pairs. */
    private static ArchCondition<JavaClass> notDependOn(DescribedPredicate<JavaClass> targets, Set<String> known) {
        return new ArchCondition<>("not depend on " + targets.getDescription()) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass();
                    String top = target.isArray() ? target.getBaseComponentType().getName() : target.getName();
                    if (targets.test(target.isArray() ? target.getBaseComponentType() : target)
                            && !known.contains(topLevel(origin) + " -> " + top)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
    }

    private static String topLevel(JavaClass c) {
        String name = c.getName();
        int dollar = name.indexOf('$');
        return dollar < 0 ? name : name.substring(0, dollar);
    }
}
