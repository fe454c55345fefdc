package io.devk8s.adapter.tls;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A client TLS context whose sockets gather small writes into full TLS records before they are encrypted.
 *
 * <p>Apache HttpClient (under docker-java) sends a request body of unknown length, such as a build context, in
 * chunks of 4 KiB, and writes each chunk and its header line to the socket separately: the JDK's TLS socket
 * encrypts every write into a record of its own and sends it at once. A build context of 6.7 MB went out as 1,228
 * records and write calls, where the docker CLI sends records of 16 KiB. These sockets hold written bytes (up to
 * {@link #BUFFER} of them) until the buffer is full or the client flushes, which HttpClient does at the end of each
 * request's head and body: the bytes and their order are the same, in fewer and fuller records. Everything else is
 * the JDK's socket and context as they are.
 */
public final class CoalescingTls {
    static final int BUFFER = 64 * 1024;

    private CoalescingTls() {}

    /** A context that makes the same connections as {@code context}, with sockets that coalesce their writes. */
    public static SSLContext wrap(SSLContext context) {
        return new SSLContext(new Spi(context), context.getProvider(), context.getProtocol()) {};
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext inner;

        Spi(SSLContext inner) {
            this.inner = inner;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
            inner.init(km, tm, random);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new Factory(inner.getSocketFactory());
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return inner.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return inner.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return inner.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return inner.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return inner.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return inner.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return inner.getSupportedSSLParameters();
        }
    }

    /** Makes the inner factory's sockets and wraps each. */
    static final class Factory extends SSLSocketFactory {
        private final SSLSocketFactory inner;

        Factory(SSLSocketFactory inner) {
            this.inner = inner;
        }

        private static Socket wrap(Socket s) {
            return s instanceof SSLSocket ssl ? new CoalescingSocket(ssl) : s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return inner.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return inner.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return wrap(inner.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return wrap(inner.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return wrap(inner.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return wrap(inner.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return wrap(inner.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return wrap(inner.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return wrap(inner.createSocket(address, port, localAddress, localPort));
        }
    }

    /** The JDK's TLS socket with a buffer in front of its output; every other call goes to it unchanged. */
    static final class CoalescingSocket extends SSLSocket {
        private final SSLSocket inner;
        private OutputStream out;

        CoalescingSocket(SSLSocket inner) {
            this.inner = inner;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new BufferedOutputStream(inner.getOutputStream(), BUFFER);
            }
            return out;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return inner.getInputStream();
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                if (out != null && !inner.isClosed()) {
                    out.flush(); // what was written before close goes out, as without the buffer
                }
            } catch (IOException ignored) {
                // the peer is gone: closing anyway
            } finally {
                inner.close();
            }
        }

        @Override
        public void shutdownOutput() throws IOException {
            if (out != null) {
                out.flush();
            }
            inner.shutdownOutput();
        }

        // ---------------------------------------------------------------------------- TLS, as the inner socket

        @Override
        public String[] getSupportedCipherSuites() {
            return inner.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return inner.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            inner.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return inner.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return inner.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            inner.setEnabledProtocols(protocols);
        }

        @Override
        public SSLSession getSession() {
            return inner.getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return inner.getHandshakeSession();
        }

        @Override
        public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
            inner.addHandshakeCompletedListener(listener);
        }

        @Override
        public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
            inner.removeHandshakeCompletedListener(listener);
        }

        @Override
        public void startHandshake() throws IOException {
            inner.startHandshake();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            inner.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return inner.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            inner.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return inner.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            inner.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return inner.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            inner.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return inner.getEnableSessionCreation();
        }

        @Override
        public SSLParameters getSSLParameters() {
            return inner.getSSLParameters();
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            inner.setSSLParameters(params);
        }

        @Override
        public String getApplicationProtocol() {
            return inner.getApplicationProtocol();
        }

        @Override
        public String getHandshakeApplicationProtocol() {
            return inner.getHandshakeApplicationProtocol();
        }

        @Override
        public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
            inner.setHandshakeApplicationProtocolSelector(selector);
        }

        @Override
        public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return inner.getHandshakeApplicationProtocolSelector();
        }

        // ---------------------------------------------------------------------------- the socket, as the inner one

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            inner.connect(endpoint);
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            inner.connect(endpoint, timeout);
        }

        @Override
        public void bind(SocketAddress bindpoint) throws IOException {
            inner.bind(bindpoint);
        }

        @Override
        public InetAddress getInetAddress() {
            return inner.getInetAddress();
        }

        @Override
        public InetAddress getLocalAddress() {
            return inner.getLocalAddress();
        }

        @Override
        public int getPort() {
            return inner.getPort();
        }

        @Override
        public int getLocalPort() {
            return inner.getLocalPort();
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return inner.getRemoteSocketAddress();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return inner.getLocalSocketAddress();
        }

        @Override
        public SocketChannel getChannel() {
            return inner.getChannel();
        }

        @Override
        public void setTcpNoDelay(boolean on) throws SocketException {
            inner.setTcpNoDelay(on);
        }

        @Override
        public boolean getTcpNoDelay() throws SocketException {
            return inner.getTcpNoDelay();
        }

        @Override
        public void setSoLinger(boolean on, int linger) throws SocketException {
            inner.setSoLinger(on, linger);
        }

        @Override
        public int getSoLinger() throws SocketException {
            return inner.getSoLinger();
        }

        @Override
        public void setOOBInline(boolean on) throws SocketException {
            inner.setOOBInline(on);
        }

        @Override
        public boolean getOOBInline() throws SocketException {
            return inner.getOOBInline();
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            inner.setSoTimeout(timeout);
        }

        @Override
        public int getSoTimeout() throws SocketException {
            return inner.getSoTimeout();
        }

        @Override
        public void setSendBufferSize(int size) throws SocketException {
            inner.setSendBufferSize(size);
        }

        @Override
        public int getSendBufferSize() throws SocketException {
            return inner.getSendBufferSize();
        }

        @Override
        public void setReceiveBufferSize(int size) throws SocketException {
            inner.setReceiveBufferSize(size);
        }

        @Override
        public int getReceiveBufferSize() throws SocketException {
            return inner.getReceiveBufferSize();
        }

        @Override
        public void setKeepAlive(boolean on) throws SocketException {
            inner.setKeepAlive(on);
        }

        @Override
        public boolean getKeepAlive() throws SocketException {
            return inner.getKeepAlive();
        }

        @Override
        public void setTrafficClass(int tc) throws SocketException {
            inner.setTrafficClass(tc);
        }

        @Override
        public int getTrafficClass() throws SocketException {
            return inner.getTrafficClass();
        }

        @Override
        public void setReuseAddress(boolean on) throws SocketException {
            inner.setReuseAddress(on);
        }

        @Override
        public boolean getReuseAddress() throws SocketException {
            return inner.getReuseAddress();
        }

        @Override
        public void shutdownInput() throws IOException {
            inner.shutdownInput();
        }

        @Override
        public boolean isConnected() {
            return inner.isConnected();
        }

        @Override
        public boolean isBound() {
            return inner.isBound();
        }

        @Override
        public boolean isClosed() {
            return inner.isClosed();
        }

        @Override
        public boolean isInputShutdown() {
            return inner.isInputShutdown();
        }

        @Override
        public boolean isOutputShutdown() {
            return inner.isOutputShutdown();
        }

        @Override
        public <T> Socket setOption(java.net.SocketOption<T> name, T value) throws IOException {
            inner.setOption(name, value);
            return this;
        }

        @Override
        public <T> T getOption(java.net.SocketOption<T> name) throws IOException {
            return inner.getOption(name);
        }

        @Override
        public java.util.Set<java.net.SocketOption<?>> supportedOptions() {
            return inner.supportedOptions();
        }

        @Override
        public String toString() {
            return inner.toString();
        }
    }
}
