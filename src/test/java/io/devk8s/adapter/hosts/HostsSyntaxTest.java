package io.devk8s.adapter.hosts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostsSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"192.168.49.2", "0.0.0.0", "255.255.255.255", "::1", "fd00::2", "2001:db8::8a2e:370:7334",
        "::ffff:192.168.1.1"})
    void should_accept_ip_literals(String ip) {
        assertTrue(HostsSyntax.isIpLiteral(ip), ip);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "localhost", "minikube.local",
        "10.0.0.x", "fd00:::2:::", "[::1]", "fe80::1%eth0", "1.2.3.4 ", "gggg::1"})
    void should_reject_anything_else_as_an_ip(String ip) {
        assertFalse(HostsSyntax.isIpLiteral(ip), ip);
    }

    @ParameterizedTest
    @ValueSource(strings = {"minikube", "grafana.minikube", "api-v2.dev.test", "a", "x1.y2"})
    void should_accept_rfc_1123_host_names(String host) {
        assertTrue(HostsSyntax.isHostname(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bad_name", "-api.test", "api-.test", "api..test", ".test", "test.", "a b",
        "1.2.3.4", "host#x"})
    void should_reject_invalid_host_names(String host) {
        assertFalse(HostsSyntax.isHostname(host), host);
    }
}
