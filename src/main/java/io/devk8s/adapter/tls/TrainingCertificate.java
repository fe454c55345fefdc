package io.devk8s.adapter.tls;

import io.devk8s.Environment;
import io.devk8s.adapter.process.ProcessRunner;
import io.devk8s.adapter.process.ProcessRunner.Invocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * For the start-up archive's training run only: a throwaway self-signed RSA certificate for {@code 127.0.0.1},
 * made by the JDK's own {@code keytool} in a sandbox folder, so the training run's stand-ins for an API server
 * and a Docker engine speak TLS as Minikube's do (client certificates both ways) and the archive holds the TLS
 * classes. Written as PEM files the way Minikube and Docker write theirs: {@code ca.pem}, {@code cert.pem} and
 * {@code key.pem} (PKCS#8). Never part of a command a user runs.
 */
public final class TrainingCertificate {
    private static final char[] PASSWORD = "training".toCharArray();

    /** The keystore keytool made in this JVM, reused by every later sandbox. */
    private static byte[] made;

    private final SSLContext serverContext;
    private final Path dir;

    private TrainingCertificate(SSLContext serverContext, Path dir) {
        this.serverContext = serverContext;
        this.dir = dir;
    }

    /**
     * Makes the certificate and its PEM files in {@code dir} (which must exist); empty when this runtime has no
     * {@code keytool} or it fails: the training run then goes without TLS.
     */
    public static synchronized Optional<TrainingCertificate> create(Path dir) {
        Path store = dir.resolve("training.p12");
        try {
            if (made == null) { // one keytool run (an RSA key: about a second) for every sandbox of this run
                Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
                if (!Files.isExecutable(keytool)) {
                    return Optional.empty();
                }
                ProcessRunner.Result r = new ProcessRunner(Environment.system()).run(Invocation.of(keytool,
                        "-genkeypair", "-alias", "training", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore",
                        store.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keypass",
                        new String(PASSWORD), "-noprompt").withTimeout(Duration.ofMinutes(1)));
                if (!r.ok() || !Files.isRegularFile(store)) {
                    return Optional.empty();
                }
                made = Files.readAllBytes(store);
            } else {
                Files.write(store, made);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            Certificate certificate = keys.getCertificate("training");
            Key key = keys.getKey("training", PASSWORD);
            String certPem = pem("CERTIFICATE", certificate.getEncoded());
            Files.writeString(dir.resolve("ca.pem"), certPem);
            Files.writeString(dir.resolve("cert.pem"), certPem);
            Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
            // the server asks for the client's certificate, as Minikube's API server and Docker engine do, and
            // trusts only this one
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("training", certificate);
            KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            km.init(keys, PASSWORD);
            TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tm.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(km.getKeyManagers(), tm.getTrustManagers(), null);
            return Optional.of(new TrainingCertificate(context, dir));
        } catch (IOException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** The servers' side: this certificate, and a client must show it too. */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** The folder of {@code ca.pem}, {@code cert.pem} and {@code key.pem} (Docker's {@code DOCKER_CERT_PATH}). */
    public Path pemDir() {
        return dir;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
