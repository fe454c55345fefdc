package io.devk8s;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code devk8s} and its background process say to each other over their Unix socket: frames of one type
 * byte, a length and a payload. The command sends one request (its arguments, working directory, environment and
 * whether it talks to a terminal); the background process answers with its output, its questions (the terminal's
 * width, a process to run in the terminal, such as sudo) and at last the exit code. A command that goes away
 * (Ctrl-C) closes the socket, and the background process stops the work it did for it.
 */
final class DaemonProtocol {
    /** Raised with every change to the frames: a background process of another version refuses the request. */
    static final int VERSION = 1;

    // command -> background process
    static final byte REQUEST = 'Q';
    static final byte COLUMNS_ANSWER = 'w';
    static final byte TERMINAL_ANSWER = 't';
    static final byte STATUS = 'P';
    static final byte STOP = 'S';
    // background process -> command
    static final byte ACCEPTED = 'A';
    static final byte REFUSED = 'R';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    static final byte COLUMNS = 'W';
    static final byte TERMINAL = 'T';
    static final byte EXIT = 'X';
    static final byte INFO = 'I';

    /** The largest frame either side accepts: far above any request (an environment of a few KB). */
    static final int MAX_FRAME = 16 << 20;

    private DaemonProtocol() {
    }

    /** One frame read. */
    record Frame(byte type, byte[] payload) {
        Reader reader() {
            return new Reader(payload);
        }
    }

    /** What a command asks the background process to run. */
    record Request(int version, String identity, String workDir, List<String> args, Map<String, String> env,
            boolean terminal, String charset) {

        byte[] encode() {
            Writer w = new Writer();
            w.integer(version).string(identity).string(workDir).strings(args);
            w.integer(env.size());
            for (Map.Entry<String, String> e : env.entrySet()) {
                w.string(e.getKey()).string(e.getValue());
            }
            return w.bool(terminal).string(charset).bytes();
        }

        static Request decode(byte[] payload) throws IOException {
            Reader r = new Reader(payload);
            int version = r.integer();
            if (version != VERSION) {
                // the rest may be laid out differently: only the version is read
                return new Request(version, "", "", List.of(), Map.of(), false, "UTF-8");
            }
            String identity = r.string();
            String workDir = r.string();
            List<String> args = r.strings();
            int n = r.integer();
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                env.put(r.string(), r.string());
            }
            return new Request(version, identity, workDir, args, env, r.bool(), r.string());
        }
    }

    static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
        }
    }

    /** The next frame, or null at the end of the stream. */
    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("a frame of " + length + " bytes");
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame((byte) type, payload);
    }

    /**
     * The socket's input as a stream. Not {@code Channels.newInputStream}: its reads hold the channel's blocking lock,
     * which its output stream's writes need too, so a read waiting for the other side would stop every write.
     */
    static DataInputStream input(java.nio.channels.SocketChannel channel) {
        return new DataInputStream(new java.io.BufferedInputStream(new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        }));
    }

    /** The socket's output as a stream (see {@link #input}). */
    static DataOutputStream output(java.nio.channels.SocketChannel channel) {
        return new DataOutputStream(new java.io.BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }));
    }

    /** A stream whose bytes go out as frames of one type, at every flush. */
    static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final byte type;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        FrameStream(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            if (pending.size() > 0) {
                byte[] bytes = pending.toByteArray();
                pending.reset();
                DaemonProtocol.write(out, type, bytes);
            }
        }
    }

    /** Builds a payload. */
    static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Writer integer(int value) {
            try {
                out.writeInt(value);
            } catch (IOException e) {
                throw new IllegalStateException(e); // a byte array does not fail
            }
            return this;
        }

        Writer bool(boolean value) {
            return integer(value ? 1 : 0);
        }

        Writer string(String value) {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            integer(b.length);
            bytes.write(b, 0, b.length);
            return this;
        }

        Writer strings(List<String> values) {
            integer(values.size());
            for (String v : values) {
                string(v);
            }
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** Reads a payload. */
    static final class Reader {
        private final DataInputStream in;

        Reader(byte[] payload) {
            this.in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        }

        int integer() throws IOException {
            return in.readInt();
        }

        boolean bool() throws IOException {
            return integer() != 0;
        }

        String string() throws IOException {
            int n = integer();
            if (n < 0 || n > MAX_FRAME) {
                throw new EOFException("a string of " + n + " bytes");
            }
            byte[] b = new byte[n];
            in.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        List<String> strings() throws IOException {
            int n = integer();
            if (n < 0 || n > MAX_FRAME) {
                throw new EOFException("a list of " + n + " strings");
            }
            List<String> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                values.add(string());
            }
            return values;
        }
    }
}
