package io.devk8s.adapter.kubernetes;

import io.devk8s.adapter.tls.PemTls;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS side of {@link LeanReads}: an {@link SSLSocketFactory} from a plain kubeconfig's CA, client certificate
 * and key ({@link PemTls}), or one that accepts any server certificate for {@code insecure-skip-tls-verify}.
 */
final class LeanTls {
    private LeanTls() {
    }

    /**
     * The socket factory for an https endpoint; empty when its material cannot be read here (an encrypted key, a
     * key of another algorithm, text that is not PEM): the full client then connects, and reports what is wrong.
     */
    static Optional<SSLSocketFactory> socketFactory(RestEndpoint endpoint) {
        try {
            SSLContext context = endpoint.insecure()
                    ? PemTls.insecureClientContext(endpoint.certPem(), endpoint.keyPem())
                    : PemTls.clientContext(endpoint.caPem(), endpoint.certPem(), endpoint.keyPem());
            return Optional.of(context.getSocketFactory());
        } catch (PemTls.PemException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
