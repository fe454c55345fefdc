package io.devk8s.adapter.tls;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The training run's stand-in servers: the JDK's HTTP server on a free loopback port, over TLS when given one. */
public final class TlsServers {
    private TlsServers() {
    }

    /**
     * A server, not started, on a free port of the loopback address: HTTPS with {@code tls} that requires the
     * client's certificate (as Minikube's API server and Docker engine do), or plain HTTP when {@code tls} is null.
     */
    public static HttpServer create(SSLContext tls) throws IOException {
        // TCP_NODELAY on its connections (read once, when the JDK's server first starts in a process): the server
        // writes a response's headers and body apart, and without it each answer waited for the client's delayed
        // acknowledgement, 40 ms on Linux
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            return HttpServer.create(address, 0);
        }
        HttpsServer server = HttpsServer.create(address, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        return server;
    }
}
