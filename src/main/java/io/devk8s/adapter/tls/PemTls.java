package io.devk8s.adapter.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS material from PEM text, with the JDK alone: certificates, and private keys in the three forms Kubernetes and
 * Docker tools write ({@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1), {@code EC PRIVATE KEY}
 * (SEC1)), turned into an {@link SSLContext}. It exists so that a client certificate does not load a whole crypto
 * provider (docker-java reads PEM through BouncyCastle, about 550 classes) on every run of a short-lived command.
 * Encrypted keys are refused: neither {@code minikube}, kind, k3d nor {@code docker-machine} write them.
 */
public final class PemTls {

    private static final String RSA_OID = "1.2.840.113549.1.1.1";
    private static final String EC_OID = "1.2.840.10045.2.1";

    private PemTls() {
    }

    /** A certificate, key or PEM text that cannot be used; the message says what is wrong, not where it came from. */
    public static final class PemException extends Exception {
        private static final long serialVersionUID = 1L;

        public PemException(String message) {
            super(message);
        }

        PemException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Every {@code CERTIFICATE} block of the PEM text, in order; at least one. */
    public static List<X509Certificate> certificates(String pem) throws PemException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(pem)) {
                if (block.type().equals("CERTIFICATE") || block.type().equals("TRUSTED CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new PemException("not a valid X.509 certificate (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) {
            throw new PemException("no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The first private key of the PEM text (PKCS#8, PKCS#1 RSA or SEC1 EC). */
    public static PrivateKey privateKey(String pem) throws PemException {
        for (Block block : blocks(pem)) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der());
                case "RSA PRIVATE KEY":
                    return generate("RSA", wrap(algorithm(RSA_OID, Der.NULL), block.der()));
                case "EC PRIVATE KEY":
                    return generate("EC", wrap(algorithm(EC_OID, curveOf(block.der())), block.der()));
                case "ENCRYPTED PRIVATE KEY":
                    throw new PemException("the private key is encrypted; devk8s needs an unencrypted one "
                            + "(openssl pkey -in KEY -out PLAIN)");
                default:
                    if (block.type().endsWith("PRIVATE KEY")) {
                        throw new PemException("unsupported private key type " + block.type()
                                + " (supported: PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY)");
                    }
            }
        }
        throw new PemException("no PEM private key in it (expected -----BEGIN ... PRIVATE KEY-----)");
    }

    /**
     * A TLS client context: trusts the certificates of {@code caPem} (the JDK's own trust store when null) and
     * presents {@code certPem} with {@code keyPem} when both are given.
     */
    public static SSLContext clientContext(String caPem, String certPem, String keyPem) throws PemException {
        try {
            TrustManager[] trust = null;
            if (caPem != null) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates(caPem)) {
                    store.setCertificateEntry("ca-" + i++, ca);
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                trust = factory.getTrustManagers();
            }
            return context(trust, certPem, keyPem);
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new PemException("cannot set up TLS (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A TLS client context that accepts any server certificate (kubeconfig's {@code insecure-skip-tls-verify});
     * the caller must turn off host name verification as well. Presents {@code certPem} and {@code keyPem} when given.
     */
    public static SSLContext insecureClientContext(String certPem, String keyPem) throws PemException {
        return context(new TrustManager[] {new TrustAll()}, certPem, keyPem);
    }

    private static SSLContext context(TrustManager[] trust, String certPem, String keyPem) throws PemException {
        try {
            X509ExtendedKeyManager[] keys = null;
            if (certPem != null && keyPem != null) {
                keys = new X509ExtendedKeyManager[] {new OneKey(certificates(certPem), privateKey(keyPem))};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new PemException("cannot set up TLS (" + e.getMessage() + ")", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ PEM and DER

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(String pem) throws PemException {
        List<Block> out = new ArrayList<>();
        String type = null;
        StringBuilder body = new StringBuilder();
        for (String raw : pem.split("\r?\n|\r")) {
            String line = raw.strip();
            if (type == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    type = line.substring(11, line.length() - 5).strip();
                    body.setLength(0);
                }
            } else if (line.startsWith("-----END ")) {
                try {
                    out.add(new Block(type, Base64.getDecoder().decode(body.toString())));
                } catch (IllegalArgumentException e) {
                    throw new PemException("the PEM block " + type + " is not valid base64");
                }
                type = null;
            } else if (!line.contains(":")) { // skip RFC 1421 headers (Proc-Type: ...)
                body.append(line);
            } else if (line.startsWith("Proc-Type:") && line.contains("ENCRYPTED")) {
                throw new PemException("the private key is encrypted; devk8s needs an unencrypted one "
                        + "(openssl pkey -in KEY -out PLAIN)");
            }
        }
        if (type != null) {
            throw new PemException("the PEM block " + type + " has no END line");
        }
        return out;
    }

    private static PrivateKey pkcs8(byte[] der) throws PemException {
        String oid;
        try {
            Der.Reader info = new Der.Reader(der).sequence();
            info.integer();
            oid = info.sequence().oid();
        } catch (IllegalArgumentException e) {
            throw new PemException("the PRIVATE KEY is not valid PKCS#8 (" + e.getMessage() + ")");
        }
        String algorithm = switch (oid) {
            case RSA_OID -> "RSA";
            case EC_OID -> "EC";
            case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            default -> throw new PemException("unsupported private key algorithm " + oid);
        };
        return generate(algorithm, der);
    }

    private static PrivateKey generate(String algorithm, byte[] pkcs8) throws PemException {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
            throw new PemException("not a valid " + algorithm + " private key (" + e.getMessage() + ")", e);
        }
    }

    /** The named curve of a SEC1 {@code ECPrivateKey}: its {@code [0] parameters}. */
    private static byte[] curveOf(byte[] sec1) throws PemException {
        try {
            Der.Reader key = new Der.Reader(sec1).sequence();
            key.integer();
            key.skip(); // privateKey OCTET STRING
            while (key.hasMore()) {
                int tag = key.peekTag();
                byte[] content = key.next();
                if (tag == 0xA0) {
                    return Der.encode(0x06, new Der.Reader(content).expect(0x06));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new PemException("the EC PRIVATE KEY is not valid SEC1 (" + e.getMessage() + ")");
        }
        throw new PemException("the EC PRIVATE KEY names no curve; convert it with `openssl pkey -in KEY -out PKCS8`");
    }

    private static byte[] algorithm(String oid, byte[] parameters) {
        return Der.encode(0x30, Der.concat(Der.encode(0x06, Der.oid(oid)), parameters));
    }

    /** PKCS#8 {@code PrivateKeyInfo} around a PKCS#1 or SEC1 key. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return Der.encode(0x30, Der.concat(Der.encode(0x02, new byte[] {0}), algorithm, Der.encode(0x04, key)));
    }

    /** Just enough DER for the structures above. */
    static final class Der {
        static final byte[] NULL = {0x05, 0x00};

        private Der() {
        }

        static byte[] encode(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
            out.write(tag);
            int length = content.length;
            if (length < 0x80) {
                out.write(length);
            } else {
                int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(length >>> (8 * i));
                }
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }

        static byte[] oid(String dotted) {
            String[] arcs = dotted.split("\\.");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
            for (int i = 2; i < arcs.length; i++) {
                long arc = Long.parseLong(arcs[i]);
                int groups = 1;
                for (long v = arc >>> 7; v != 0; v >>>= 7) {
                    groups++;
                }
                for (int g = groups - 1; g >= 0; g--) {
                    int b = (int) ((arc >>> (7 * g)) & 0x7F);
                    out.write(g == 0 ? b : b | 0x80);
                }
            }
            return out.toByteArray();
        }

        static final class Reader {
            private final byte[] data;
            private int pos;

            Reader(byte[] data) {
                this.data = data;
            }

            boolean hasMore() {
                return pos < data.length;
            }

            int peekTag() {
                if (pos >= data.length) {
                    throw new IllegalArgumentException("truncated");
                }
                return data[pos] & 0xFF;
            }

            /** The content of the next element, whatever its tag. */
            byte[] next() {
                peekTag();
                pos++;
                if (pos >= data.length) {
                    throw new IllegalArgumentException("truncated");
                }
                int length = data[pos++] & 0xFF;
                if (length >= 0x80) {
                    int bytes = length & 0x7F;
                    if (bytes == 0 || bytes > 4) {
                        throw new IllegalArgumentException("unsupported length");
                    }
                    length = 0;
                    for (int i = 0; i < bytes; i++) {
                        if (pos >= data.length) {
                            throw new IllegalArgumentException("truncated");
                        }
                        length = (length << 8) | (data[pos++] & 0xFF);
                    }
                }
                if (length < 0 || pos + length > data.length) {
                    throw new IllegalArgumentException("truncated");
                }
                byte[] content = java.util.Arrays.copyOfRange(data, pos, pos + length);
                pos += length;
                return content;
            }

            byte[] expect(int tag) {
                if (peekTag() != tag) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "expected tag 0x%02x, found 0x%02x",
                            tag, peekTag()));
                }
                return next();
            }

            void skip() {
                next();
            }

            Reader sequence() {
                return new Reader(expect(0x30));
            }

            byte[] integer() {
                return expect(0x02);
            }

            String oid() {
                byte[] b = expect(0x06);
                if (b.length == 0) {
                    throw new IllegalArgumentException("empty OID");
                }
                StringBuilder s = new StringBuilder();
                s.append((b[0] & 0xFF) / 40).append('.').append((b[0] & 0xFF) % 40);
                long arc = 0;
                for (int i = 1; i < b.length; i++) {
                    arc = (arc << 7) | (b[i] & 0x7F);
                    if ((b[i] & 0x80) == 0) {
                        s.append('.').append(arc);
                        arc = 0;
                    }
                }
                return s.toString();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ managers

    /** Presents one certificate chain and its key, whatever the server asks for (it refuses a wrong one itself). */
    private static final class OneKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final X509Certificate[] chain;
        private final PrivateKey key;

        OneKey(List<X509Certificate> chain, PrivateKey key) {
            this.chain = chain.toArray(X509Certificate[]::new);
            this.key = key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
