package io.devk8s.service;

import io.devk8s.config.ShellConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Dockerfile of {@code devk8s shell}'s debug image, generated from the {@code shell:} section of devk8s.yaml:
 * {@code FROM <base>}, one package step with the base's package manager (none when {@code packages} is empty), and
 * one {@code COPY} per tool into {@code /usr/local/bin}.
 *
 * <p>The package manager follows from the base's name: {@code apk} for Alpine ({@code alpine}, or a tag with
 * {@code alpine} such as {@code python:3.12-alpine}), {@code apt-get} for Debian and Ubuntu ({@code debian},
 * {@code ubuntu}, or a tag naming one of their releases such as {@code bookworm} or {@code noble}); any other base
 * gets one portable step that uses whichever of the two the image has. The default package set is named per
 * manager: Alpine's {@code curl busybox-extras tcpdump bind-tools}, Debian's {@code curl busybox tcpdump dnsutils}.
 */
public final class DebugImage {
    /** Where the tools go in the image (on the PATH of every common base). */
    public static final String TOOLS_DIR = "/usr/local/bin";
    /** The image's repository when {@code shell.image} does not name one. */
    public static final String DEFAULT_REPOSITORY = "debugtool";
    /** The default set as Debian and Ubuntu name the same tools. */
    static final List<String> DEFAULT_APT_PACKAGES = List.of("curl", "busybox", "tcpdump", "dnsutils");
    private static final Pattern DEBIAN_RELEASE = Pattern.compile(
            ".*\\b(buster|bullseye|bookworm|trixie|sid|focal|jammy|noble|oracular|plucky)\\b.*");

    /** How the base installs packages. */
    public enum PackageManager { APK, APT, EITHER }

    private DebugImage() {
    }

    /** The package manager of a base image, from its name. */
    public static PackageManager packageManager(String base) {
        String ref = base.toLowerCase(Locale.ROOT);
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
        }
        String last = ref.substring(ref.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        String repo = colon >= 0 ? last.substring(0, colon) : last;
        String tag = colon >= 0 ? last.substring(colon + 1) : "";
        if (repo.equals("alpine") || tag.contains("alpine")) {
            return PackageManager.APK;
        }
        if (repo.equals("debian") || repo.equals("ubuntu") || DEBIAN_RELEASE.matcher(tag).matches()) {
            return PackageManager.APT;
        }
        return PackageManager.EITHER;
    }

    /** The Dockerfile for {@code shell}. */
    public static String dockerfile(ShellConfig shell) {
        StringBuilder df = new StringBuilder();
        df.append("# The debug image of devk8s shell, generated from the shell: section of devk8s.yaml.\n");
        df.append("FROM ").append(shell.base()).append('\n');
        packageStep(shell).ifPresent(step -> df.append(step).append('\n'));
        for (ShellConfig.Tool tool : shell.tools()) {
            df.append("COPY ").append(contextPath(tool)).append(' ').append(TOOLS_DIR).append('/')
                    .append(tool.fileName()).append('\n');
        }
        return df.toString();
    }

    /** Where a tool's binary lies in the build context. */
    public static String contextPath(ShellConfig.Tool tool) {
        return "tools/" + tool.fileName();
    }

    /** The {@code RUN} line that installs the packages; empty when there are none. */
    static java.util.Optional<String> packageStep(ShellConfig shell) {
        if (shell.packages().isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> apk = shell.packages();
        List<String> apt = shell.defaultPackages() ? DEFAULT_APT_PACKAGES : shell.packages();
        return java.util.Optional.of(switch (packageManager(shell.base())) {
            case APK -> "RUN " + apk(apk);
            case APT -> "RUN " + apt(apt);
            case EITHER -> "RUN if command -v apk >/dev/null 2>&1; then " + apk(apk)
                    + "; elif command -v apt-get >/dev/null 2>&1; then " + apt(apt)
                    + "; else echo 'devk8s: " + shell.base() + " has neither apk nor apt-get: set shell.packages: [] "
                    + "in devk8s.yaml, or a base with one of them' >&2; exit 1; fi";
        });
    }

    private static String apk(List<String> packages) {
        return "apk add --no-cache " + String.join(" ", packages);
    }

    private static String apt(List<String> packages) {
        return "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
                + String.join(" ", packages) + " && rm -rf /var/lib/apt/lists/*";
    }

    /** {@code shell.image} with its tag, else its name (or {@code debugtool}) tagged with 12 hex of the digest. */
    public static String imageName(ShellConfig shell, String inputDigest) {
        String name = shell.image().orElse(DEFAULT_REPOSITORY);
        int colon = name.lastIndexOf(':');
        boolean tagged = colon > name.lastIndexOf('/');
        return tagged ? name : name + ":" + inputDigest.substring(0, 12);
    }

    /** The image's name before its input digest is known (the tools are not built yet), for a dry run. */
    public static String pendingImageName(ShellConfig shell) {
        String name = shell.image().orElse(DEFAULT_REPOSITORY);
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name : name + ":<input digest>";
    }

    /** The tools' apps in file order, each once. */
    static List<String> toolApps(ShellConfig shell) {
        List<String> apps = new ArrayList<>();
        shell.tools().forEach(t -> {
            if (!apps.contains(t.app())) {
                apps.add(t.app());
            }
        });
        return apps;
    }
}
