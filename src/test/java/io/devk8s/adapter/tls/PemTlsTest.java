package io.devk8s.adapter.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import io.devk8s.support.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PEM material made by the real {@code openssl} in every key format it writes, used for real TLS handshakes
 * against a JDK HTTPS server that requires a client certificate signed by the same CA.
 */
class PemTlsTest {

    @TempDir
    static Path dir;
    static HttpsServer server;
    static TestCertificates certs;
    static String url;

    @BeforeAll
    static void certificatesAndServer() throws Exception {
        certs = new TestCertificates(dir);
        // client keys in every format
        openssl("genrsa", "-traditional", "-out", "rsa-pkcs1.key", "2048");
        openssl("pkey", "-in", "rsa-pkcs1.key", "-out", "rsa-pkcs8.key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-sec1.key"); // EC PARAMETERS + EC PRIVATE KEY
        openssl("pkey", "-in", "ec-sec1.key", "-out", "ec-pkcs8.key");
        openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "ec384-sec1.key");
        for (String key : List.of("rsa-pkcs1", "ec-sec1", "ec384-sec1")) {
            certs.clientCertificate(key);
        }
        Files.copy(dir.resolve("rsa-pkcs1.pem"), dir.resolve("rsa-pkcs8.pem"));
        Files.copy(dir.resolve("ec-sec1.pem"), dir.resolve("ec-pkcs8.pem"));
        server = certs.clientAuthServer(exchange -> {
            byte[] body = "hello client".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        url = "https://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1", "rsa-pkcs8", "ec-sec1", "ec-pkcs8", "ec384-sec1"})
    void aClientCertificateInEveryKeyFormatCompletesAHandshakeThatRequiresIt(String key) throws Exception {
        SSLContext context = PemTls.clientContext(read("ca.pem"), read(key + ".pem"), read(key + ".key"));
        assertEquals("hello client", get(context));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1", "rsa-pkcs8", "ec-sec1", "ec-pkcs8", "ec384-sec1"})
    void theKeyReadIsTheOneThatSignedForTheCertificate(String key) throws Exception {
        PrivateKey privateKey = PemTls.privateKey(read(key + ".key"));
        X509Certificate cert = PemTls.certificates(read(key + ".pem")).get(0);
        String algorithm = privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        Signature sign = Signature.getInstance(algorithm);
        sign.initSign(privateKey);
        sign.update("devk8s".getBytes(StandardCharsets.UTF_8));
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance(algorithm);
        verify.initVerify(cert.getPublicKey());
        verify.update("devk8s".getBytes(StandardCharsets.UTF_8));
        assertTrue(verify.verify(signature), key);
    }

    @Test
    void withoutAClientCertificateTheServerRefusesTheHandshake() throws Exception {
        SSLContext context = PemTls.clientContext(read("ca.pem"), null, null);
        assertThrows(IOException.class, () -> get(context));
    }

    @Test
    void aServerSignedByAnotherCaIsNotTrusted() throws Exception {
        certs.ca("other");
        SSLContext context = PemTls.clientContext(read("other.pem"), read("rsa-pkcs1.pem"), read("rsa-pkcs1.key"));
        SSLException e = assertThrows(SSLException.class, () -> get(context));
        assertTrue(String.valueOf(e.getMessage()).contains("PKIX"), e.getMessage());
    }

    @Test
    void theInsecureContextAcceptsAnUnknownServer() throws Exception {
        SSLContext context = PemTls.insecureClientContext(read("rsa-pkcs1.pem"), read("rsa-pkcs1.key"));
        assertEquals("hello client", get(context));
    }

    @Test
    void aChainOfCertificatesIsReadInOrder() throws Exception {
        List<X509Certificate> chain = PemTls.certificates(read("rsa-pkcs1.pem") + read("ca.pem"));
        assertEquals(2, chain.size());
        assertTrue(chain.get(1).getSubjectX500Principal().getName().contains("test-ca"));
    }

    @Test
    void ed25519KeysInPkcs8AreRead() throws Exception {
        openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.key");
        assertEquals("EdDSA", PemTls.privateKey(read("ed.key")).getAlgorithm());
    }

    @Test
    void badMaterialIsOneLineSayingWhatIsWrong() throws Exception {
        openssl("genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024", "-aes256", "-pass", "pass:x",
                "-out", "encrypted.key");
        assertTrue(assertThrows(PemTls.PemException.class, () -> PemTls.privateKey(read("encrypted.key")))
                .getMessage().contains("encrypted"));
        assertTrue(assertThrows(PemTls.PemException.class, () -> PemTls.privateKey(read("ca.pem")))
                .getMessage().contains("no PEM private key"));
        assertTrue(assertThrows(PemTls.PemException.class, () -> PemTls.certificates(read("rsa-pkcs1.key")))
                .getMessage().contains("no PEM certificate"));
        assertTrue(assertThrows(PemTls.PemException.class, () -> PemTls.certificates(
                "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")).getMessage().contains("base64"));
        assertTrue(assertThrows(PemTls.PemException.class, () -> PemTls.certificates(
                "-----BEGIN CERTIFICATE-----\nAAAA\n")).getMessage().contains("no END line"));
        assertTrue(assertThrows(PemTls.PemException.class, () -> PemTls.privateKey(
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")).getMessage()
                .contains("RSA private key"));
        assertTrue(assertThrows(PemTls.PemException.class, () -> PemTls.privateKey(
                "-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n")).getMessage()
                .contains("SEC1"));
    }

    private static String get(SSLContext context) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) new URL(url).openConnection();
        c.setSSLSocketFactory(context.getSocketFactory());
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    private static String read(String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }

    private static void openssl(String... args) throws Exception {
        certs.openssl(args);
    }
}
