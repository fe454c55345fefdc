package io.devk8s.service;

import io.devk8s.Devk8sException;
import io.devk8s.adapter.minikube.ClusterStatus;
import io.devk8s.adapter.minikube.MinikubeCli;
import io.devk8s.adapter.minikube.ProfileStatus;
import java.util.Locale;
import java.util.Optional;

/**
 * The one check of the Minikube profile's state that every cluster command makes before it talks to the
 * cluster, and the one place its messages are worded: what is wrong with the profile and the command that fixes
 * it, in the words of the command that asked.
 */
public final class ProfilePreflight {
    private ProfilePreflight() {}

    /** Who asks: the fix differs (up can start the profile itself, down never starts anything). */
    public enum Use { UP, UP_DRY_RUN, DOWN, STATUS }

    /** Empty when the profile runs; else the one-line problem with its fix. */
    public static Optional<String> problem(String profile, ClusterStatus status, Use use) {
        ProfileStatus state = status.state();
        if (state == ProfileStatus.RUNNING) {
            return Optional.empty();
        }
        String quoted = use == Use.UP || use == Use.UP_DRY_RUN ? "'" + profile + "'" : "\"" + profile + "\"";
        String name = "minikube profile " + quoted;
        String start = MinikubeCli.startCommand(profile);
        String lower = state.name().toLowerCase(Locale.ROOT);
        return Optional.of(switch (use) {
            case UP_DRY_RUN -> "dry run: " + name + " is " + lower + ", so there is no cluster to compare with; "
                    + "start it with `devk8s up --start`";
            case UP -> switch (state) {
                case MISSING, STOPPED, PAUSED -> name + " " + (state == ProfileStatus.MISSING ? "does not exist"
                        : "is " + lower) + ": run `devk8s up --start` to start it (or `" + start + "`)";
                default -> name + " is " + status.describe() + ": run `devk8s up --start` to start it (or `"
                        + start + "`)";
            };
            case DOWN -> {
                String nothing = "; nothing was changed";
                yield switch (state) {
                    case MISSING -> name + " does not exist, so there is no stack to take down" + nothing
                            + " (`devk8s hosts remove -p " + Quoting.arg(profile) + "` removes a leftover hosts block)";
                    case STOPPED -> name + " is stopped; start it with `minikube start -p " + Quoting.arg(profile)
                            + "` and run devk8s down again" + nothing;
                    case PAUSED -> name + " is paused; run `minikube unpause -p " + Quoting.arg(profile)
                            + "` and run devk8s down again" + nothing;
                    default -> name + " is " + status.describe() + "; check it with `minikube status -p "
                            + Quoting.arg(profile) + "`" + nothing;
                };
            }
            case STATUS -> switch (state) {
                case MISSING -> name + " does not exist: create it with `devk8s up --start`";
                case STOPPED -> name + " is stopped: start it with `devk8s up --start` or `" + start + "`";
                case PAUSED -> name + " is paused: run `minikube unpause -p " + Quoting.arg(profile) + "`";
                default -> name + " is " + status.describe() + ": run `minikube status -p " + Quoting.arg(profile)
                        + "` to see why";
            };
        });
    }

    /** Refuses (exit 3) unless the profile runs. */
    public static void require(String profile, ClusterStatus status, Use use) {
        problem(profile, status, use).ifPresent(message -> {
            throw Devk8sException.precondition(message);
        });
    }
}
