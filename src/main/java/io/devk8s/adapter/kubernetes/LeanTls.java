package io.devk8s.adapter.kubernetes;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** The TLS side of {@link LeanReads}: an {@link SSLSocketFactory} from a plain kubeconfig's CA and client key. */
final class LeanTls {
    private LeanTls() {
    }

    /**
     * The socket factory for an https endpoint; empty when its material cannot be used here (the full client then
     * connects).
     */
    static Optional<SSLSocketFactory> socketFactory(RestEndpoint endpoint) {
        try {
            if (endpoint.certPem() != null) {
                return Optional.empty();
            }
            if (endpoint.insecure()) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
                return Optional.of(context.getSocketFactory());
            }
            if (endpoint.caPem() != null) {
                return Optional.empty();
            }
            return Optional.of(SSLContext.getDefault().getSocketFactory());
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code insecure-skip-tls-verify}: every server certificate is accepted. */
    private static final class TrustAll implements X509TrustManager {
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
