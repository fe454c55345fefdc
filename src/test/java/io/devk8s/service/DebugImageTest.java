package io.devk8s.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.devk8s.config.ShellConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The generated Dockerfile of the debug image: the package step per package manager, none when empty, the tools. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DebugImageTest {
    private static final String HEADER = "# The debug image of devk8s shell, generated from the shell: section of "
            + "devk8s.yaml.\n";

    private static ShellConfig shell(String base, List<String> packages, boolean defaults, ShellConfig.Tool... tools) {
        return new ShellConfig("debugtool", base, packages, defaults, List.of(tools), Optional.empty(), "f:1:1");
    }

    @Test
    void the_default_alpine_image_installs_the_default_set_with_apk() {
        assertEquals(HEADER + """
                FROM alpine:3.20
                RUN apk add --no-cache curl busybox-extras tcpdump bind-tools
                """, DebugImage.dockerfile(ShellConfig.defaults("f:1:1")));
    }

    @Test
    void a_debian_or_ubuntu_base_uses_apt_get_and_the_debian_names_of_the_default_set() {
        assertEquals(HEADER + """
                FROM debian:bookworm-slim
                RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
                curl busybox tcpdump dnsutils && rm -rf /var/lib/apt/lists/*
                """, DebugImage.dockerfile(shell("debian:bookworm-slim", ShellConfig.DEFAULT_PACKAGES, true)));
        assertEquals(HEADER + """
                FROM docker.io/library/ubuntu:24.04
                RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
                curl iproute2 && rm -rf /var/lib/apt/lists/*
                """, DebugImage.dockerfile(shell("docker.io/library/ubuntu:24.04", List.of("curl", "iproute2"), false)));
    }

    @Test
    void the_package_manager_follows_from_the_base_name_or_tag() {
        assertEquals(DebugImage.PackageManager.APK, DebugImage.packageManager("alpine"));
        assertEquals(DebugImage.PackageManager.APK, DebugImage.packageManager("python:3.12-alpine3.20"));
        assertEquals(DebugImage.PackageManager.APK, DebugImage.packageManager("registry.local:5000/library/alpine:3.20"));
        assertEquals(DebugImage.PackageManager.APT, DebugImage.packageManager("golang:1.23-bookworm"));
        assertEquals(DebugImage.PackageManager.APT, DebugImage.packageManager("ubuntu@sha256:" + "0".repeat(64)));
        assertEquals(DebugImage.PackageManager.EITHER, DebugImage.packageManager("nicolaka/netshoot:v0.13"));
        assertEquals(DebugImage.PackageManager.EITHER, DebugImage.packageManager("localhost:5000/alpineish:1"));
    }

    @Test
    void another_base_gets_one_portable_step_that_fails_clearly_without_apk_or_apt_get() {
        assertEquals(HEADER + "FROM nicolaka/netshoot:v0.13\n"
                + "RUN if command -v apk >/dev/null 2>&1; then apk add --no-cache curl busybox-extras tcpdump "
                + "bind-tools; elif command -v apt-get >/dev/null 2>&1; then apt-get update && "
                + "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl busybox tcpdump "
                + "dnsutils && rm -rf /var/lib/apt/lists/*; else echo 'devk8s: nicolaka/netshoot:v0.13 has neither "
                + "apk nor apt-get: set shell.packages: [] in devk8s.yaml, or a base with one of them' >&2; exit 1; fi\n",
                DebugImage.dockerfile(shell("nicolaka/netshoot:v0.13", ShellConfig.DEFAULT_PACKAGES, true)));
    }

    @Test
    void no_packages_means_no_package_step_and_each_tool_is_copied_into_usr_local_bin() {
        String df = DebugImage.dockerfile(shell("devk8s-it/busybox:1", List.of(), false,
                new ShellConfig.Tool("helloworld", Path.of("/p/bin/helloworldcli"), "f:9:7"),
                new ShellConfig.Tool("api", Path.of("/p/api/apictl"), "f:10:7")));

        assertEquals(HEADER + """
                FROM devk8s-it/busybox:1
                COPY tools/helloworldcli /usr/local/bin/helloworldcli
                COPY tools/apictl /usr/local/bin/apictl
                """, df);
        assertFalse(df.contains("RUN"), df);
    }

    @Test
    void the_image_is_tagged_with_its_input_digest_unless_shell_image_fixes_a_tag() {
        String digest = "0123456789abcdef".repeat(4);
        assertEquals("debugtool:0123456789ab", DebugImage.imageName(ShellConfig.defaults("f:1:1"), digest));
        ShellConfig named = new ShellConfig("debugtool", "alpine:3.20", List.of(), false, List.of(),
                Optional.of("registry.local:5000/shop/debug"), "f:1:1");
        assertEquals("registry.local:5000/shop/debug:0123456789ab", DebugImage.imageName(named, digest));
        ShellConfig tagged = new ShellConfig("debugtool", "alpine:3.20", List.of(), false, List.of(),
                Optional.of("shop-debug:dev"), "f:1:1");
        assertEquals("shop-debug:dev", DebugImage.imageName(tagged, digest));
        assertEquals("debugtool:<input digest>", DebugImage.pendingImageName(ShellConfig.defaults("f:1:1")));
        assertEquals("shop-debug:dev", DebugImage.pendingImageName(tagged));
    }
}
