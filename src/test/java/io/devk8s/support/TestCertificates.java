package io.devk8s.support;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and keys made by the real {@code openssl} in one folder, and a JDK HTTPS server that requires a
 * client certificate signed by that folder's CA: the TLS set-up of a Kubernetes API server or a Docker engine.
 */
public final class TestCertificates {
    private final Path dir;

    /**
     * Makes {@code ca.pem}/{@code ca.key} (CN test-ca) and a server certificate for 127.0.0.1 and localhost signed
     * by it ({@code server.pem}, {@code server.key}, {@code server.p12} with password "secret") in {@code dir}.
     */
    public TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        ca("ca");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=server", "-keyout", "server.key", "-out",
                "server.csr");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "server.ext", "-out", "server.pem");
        openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-passout", "pass:secret",
                "-out", "server.p12");
    }

    public Path dir() {
        return dir;
    }

    /** Another self-signed CA, {@code NAME.pem} and {@code NAME.key} (CN test-NAME when NAME is "ca"). */
    public Path ca(String name) throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + (name.equals("ca") ? "test-ca"
                : name), "-days", "2", "-keyout", name + ".key", "-out", name + ".pem");
        return dir.resolve(name + ".pem");
    }

    /** {@code NAME.pem}: a client certificate with CN NAME for the key in {@code NAME.key}, signed by ca.pem. */
    public Path clientCertificate(String name) throws Exception {
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + name, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", name + ".pem");
        return dir.resolve(name + ".pem");
    }

    /** A started HTTPS server on 127.0.0.1 with server.p12 that requires a client certificate signed by ca.pem. */
    public HttpsServer clientAuthServer(HttpHandler handler) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(dir.resolve("server.p12").toFile())) {
            keys.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "secret".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = new FileInputStream(dir.resolve("ca.pem").toFile())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = context.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", handler);
        server.start();
        return server;
    }

    /** Runs {@code openssl ARGS} in the folder; fails with its output. */
    public void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
