package io.devk8s.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on the loopback address to {@code host:port}: counts the connections it accepted, can cut every open
 * one (as a restarted server does), and reads the TLS record headers of what clients send, to count their
 * application-data records (TLS type 23) and bytes.
 */
public final class TcpRelay implements AutoCloseable {
    public final AtomicInteger accepted = new AtomicInteger();
    /** TLS application-data records clients sent, and their payload bytes. */
    public final AtomicInteger dataRecords = new AtomicInteger();
    public final AtomicLong dataBytes = new AtomicLong();
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public TcpRelay(String host, int port) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket(host, port);
                    accepted.incrementAndGet();
                    open.add(in);
                    open.add(out);
                    pump(in, out, true);
                    pump(out, in, false);
                } catch (IOException e) {
                    return;
                }
            }
        }, "relay");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void resetCounts() {
        dataRecords.set(0);
        dataBytes.set(0);
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            RecordReader records = new RecordReader();
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (fromClient) {
                        records.feed(buf, n);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Follows the TLS record layer: 5-byte headers (type, version, length), then the payload. */
    private final class RecordReader {
        private final byte[] header = new byte[5];
        private int headerRead;
        private int payloadLeft;

        void feed(byte[] buf, int n) {
            int i = 0;
            while (i < n) {
                if (payloadLeft > 0) {
                    int skip = Math.min(payloadLeft, n - i);
                    payloadLeft -= skip;
                    i += skip;
                    continue;
                }
                header[headerRead++] = buf[i++];
                if (headerRead == 5) {
                    headerRead = 0;
                    payloadLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    if (header[0] == 23) {
                        dataRecords.incrementAndGet();
                        dataBytes.addAndGet(payloadLeft);
                    }
                }
            }
        }
    }

    public void cutAll() {
        open.forEach(TcpRelay::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
