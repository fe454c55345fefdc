package io.devk8s.adapter.docker;

import io.devk8s.Devk8sException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;

/**
 * A build context's tar, written by a daemon thread into a pipe as the reader consumes it. Neither a temporary
 * file nor the whole context in memory: at most the pipe's buffer is held.
 */
public final class TarStream extends InputStream {
    static final int PIPE_BUFFER = 256 * 1024;

    private final PipedInputStream in;
    private final Thread writer;
    private volatile Throwable failure;
    private volatile boolean closed;

    TarStream(BuildContext context) {
        in = new PipedInputStream(PIPE_BUFFER);
        PipedOutputStream pipe;
        try {
            pipe = new PipedOutputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writer = new Thread(() -> {
            BufferedOutputStream out = new BufferedOutputStream(pipe, 64 * 1024);
            try {
                context.writeTar(out);
                out.flush();
            } catch (Throwable t) {
                if (!closed) {
                    failure = t; // set before the pipe closes, so the reader never takes a cut tar for a whole one
                }
            } finally {
                try {
                    pipe.close();
                } catch (IOException ignored) {
                    // the reader is gone
                }
            }
        }, "devk8s-build-context");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public int read() throws IOException {
        try {
            return check(in.read());
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return check(in.read(b, off, len));
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    private int check(int n) throws IOException {
        if (n < 0 && failure != null) {
            throw wrap(null);
        }
        return n;
    }

    private IOException wrap(IOException e) {
        Throwable f = failure;
        if (f == null) {
            return e;
        }
        return new IOException("writing the build context failed: " + f.getMessage(), f);
    }

    /** Throws what made the writer fail, if anything did: a {@link Devk8sException} as it is. */
    public void rethrow() {
        Throwable f = failure;
        if (f instanceof Devk8sException d) {
            throw d;
        }
        if (f != null) {
            throw Devk8sException.failure("writing the build context failed: " + f.getMessage(), f);
        }
    }

    /** Stops the writer (it fails its next write) and waits for it to end. */
    @Override
    public void close() throws IOException {
        closed = true;
        in.close();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
