# devk8s-client.py: passes a devk8s command to the background process without starting a JVM.
#
# The launcher written by install.sh runs it, when the command is one the background process serves, as
#
#     python3 -I -S devk8s-client.py JAR JAVA-MAJOR N JAVA-COMMAND(N words) DEVK8S-ARGS...
#
# It speaks the same protocol as the Java client (io.devk8s.DaemonClient and DaemonProtocol): it finds the socket of
# the process that serves JAR on the JDK of JAVA-COMMAND, sends the command line, working directory, environment
# and whether it runs in a terminal, relays the output, answers the terminal's width, runs what needs the terminal
# (sudo) here, and exits with the command's exit code. Whenever it cannot (no process yet, another user's socket, a
# folder others can enter, a refused request, a platform without SO_PEERCRED), it runs JAVA-COMMAND DEVK8S-ARGS in
# its place: the Java client then starts the process, or the command runs in a JVM of its own.
import os
import struct
import sys

# the C module under the socket module: it has all this client uses, and importing socket.py (with the selectors,
# enum and collections it pulls in) would take about as long as Python's own start
import _socket as socket

VERSION = 1
COMMANDS = ("deploy", "up", "down", "teardown", "status", "render")
MAX_FRAME = 16 << 20


def served(args):
    """The same rule as DaemonClient.served: a served command, and no help, version, --verbose or @file."""
    command = None
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("@") or arg in ("--help", "--version", "--verbose"):
            return False
        if len(arg) > 1 and arg[0] == "-" and arg[1] != "-" and short_flags(arg):
            return False
        if command is None and not arg.startswith("-"):
            command = arg
    return command in COMMANDS


def short_flags(arg):
    for c in arg[1:]:
        if c in "hVv":
            return True
        if not ("a" <= c <= "z" or "A" <= c <= "Z"):
            return False
    return False


def enabled(value):
    return value is None or value.strip().lower() not in ("0", "false", "no", "off")


def fnv(text):
    """64-bit FNV-1a, as DaemonPaths.fnv."""
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def stamp(path):
    try:
        st = os.stat(path)
        return "%d/%d" % (st.st_size, st.st_mtime_ns // 1000000)
    except OSError:
        return "-"


def paths(jar, java):
    """(folder, socket, log, identity) as DaemonPaths.of computes them in the JVM, or None."""
    jar = os.path.realpath(jar)
    st = os.stat(jar)
    home = os.path.dirname(os.path.dirname(os.path.realpath(java)))
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime is not None and runtime.startswith("/") and os.path.isdir(runtime):
        folder = os.path.join(runtime, "devk8s")
    elif sys.platform.startswith("linux"):
        import pwd
        user = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_"
                       for c in pwd.getpwuid(os.getuid()).pw_name)
        folder = "/tmp/devk8s-" + user
    else:
        return None  # the JVM's temporary folder is not /tmp there
    identity = "%d\n%s\n%d\n%d\n%s\n%s\n%s" % (
        VERSION, jar, st.st_size, st.st_mtime_ns // 1000000, home,
        stamp(os.path.join(home, "lib", "modules")), os.environ.get("DEVK8S_JAVA_OPTS", ""))
    name = "%x" % fnv(identity)
    return folder, os.path.join(folder, name + ".sock"), os.path.join(folder, name + ".log"), identity


def private(folder):
    """A real folder of this user's, with no access for others (DaemonPaths.privateDir; it is never made here)."""
    import stat
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) == 0o700


def connect(path):
    if not hasattr(socket, "SO_PEERCRED") or not os.path.exists(path):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
        _, uid, _ = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
        if uid != os.getuid():
            sock.close()  # another user's process: never hand it a command
            return None
        return sock
    except OSError:
        sock.close()
        return None


def text(value):
    b = value.encode("utf-8", "surrogateescape")
    return struct.pack(">i", len(b)) + b


def integer(value):
    return struct.pack(">i", value)


def send(sock, kind, payload):
    sock.sendall(kind + struct.pack(">i", len(payload)) + payload)


class Frames:
    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def take(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("the connection closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def next(self):
        """(type, payload), or None at the end of the stream."""
        if not self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer = chunk
        kind = self.take(1)
        (length,) = struct.unpack(">i", self.take(4))
        if length < 0 or length > MAX_FRAME:
            raise EOFError("a frame of %d bytes" % length)
        return kind, self.take(length)


class Reader:
    def __init__(self, payload):
        self.payload = payload
        self.at = 0

    def integer(self):
        (value,) = struct.unpack_from(">i", self.payload, self.at)
        self.at += 4
        return value

    def string(self):
        n = self.integer()
        value = self.payload[self.at:self.at + n].decode("utf-8", "surrogateescape")
        self.at += n
        return value

    def strings(self):
        return [self.string() for _ in range(self.integer())]


def is_terminal():
    """What System.console() says on Java 17: stdin and stdout both a terminal."""
    return os.isatty(0) and os.isatty(1)


def charset(terminal, java_major):
    if not terminal and java_major >= 18:
        return "UTF-8"  # JEP 400: the default charset, whatever the locale
    import _locale  # the C module: locale.py imports re, which costs as much as the rest of this client
    try:
        _locale.setlocale(_locale.LC_CTYPE, "")
        return _locale.nl_langinfo(_locale.CODESET) or "UTF-8"
    except (_locale.Error, AttributeError):
        return "UTF-8"


def columns():
    """The terminal's width as picocli measures it for help: 80 when it cannot tell, at least 55."""
    if not (is_terminal() or os.environ.get("TERM", "").startswith("xterm") and os.isatty(1)):
        return 80
    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
        try:
            return max(os.get_terminal_size(fd).columns, 55)
        finally:
            os.close(fd)
    except OSError:
        return 80


def run_in_terminal(reader):
    import subprocess
    command = reader.strings()
    env = {}
    for _ in range(reader.integer()):
        key = reader.string()
        env[key] = reader.string()
    directory = reader.string()
    try:
        code = subprocess.call(command, env=env, cwd=directory)
        return integer(code if code >= 0 else 128 - code) + text("")
    except OSError as e:
        return integer(-1) + text(str(e.strerror or e))


def write(fd, data):
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError:
        pass  # the reader went away (devk8s status | head -1): the command goes on


def lost(log, why):
    write(2, ("error: the devk8s background process stopped while running this command (%s; its log: %s); run "
              "the command again, or set DEVK8S_DAEMON=0 to run commands without it\n" % (why, log)).encode())
    return 1


def relay(sock, log):
    frames = Frames(sock)
    first = frames.next()
    if first is None or first[0] != b"A":
        return None  # refused: another identity under this name, or leaving
    try:
        while True:
            frame = frames.next()
            if frame is None:
                return lost(log, "the connection closed")
            kind, payload = frame
            if kind == b"O":
                write(1, payload)
            elif kind == b"E":
                write(2, payload)
            elif kind == b"W":
                send(sock, b"w", integer(columns()))
            elif kind == b"T":
                send(sock, b"t", run_in_terminal(Reader(payload)))
            elif kind == b"X":
                return Reader(payload).integer()
            else:
                return lost(log, "an unknown answer '%s'" % kind.decode("latin-1"))
    except (OSError, EOFError, struct.error) as e:
        return lost(log, str(e))


def main(argv):
    jar = argv[1]
    java_major = int(argv[2]) if argv[2].isdigit() else 0  # 0: not known
    n = int(argv[3])
    java_command = argv[4:4 + n]
    args = argv[4 + n:]
    code = None
    if enabled(os.environ.get("DEVK8S_DAEMON")) and served(args):
        try:
            where = paths(jar, java_command[0])
        except (OSError, ValueError):
            where = None  # no jar or JDK to name the process after: the JVM command tells what is wrong
        if where is not None and private(where[0]):
            sock = connect(where[1])
            if sock is not None:
                terminal = is_terminal()
                env = os.environ
                payload = (integer(VERSION) + text(where[3]) + text(os.getcwd())
                           + integer(len(args)) + b"".join(text(a) for a in args)
                           + integer(len(env)) + b"".join(text(k) + text(v) for k, v in env.items())
                           + integer(1 if terminal else 0) + text(charset(terminal, java_major)))
                try:
                    send(sock, b"Q", payload)
                    code = relay(sock, where[2])
                except (OSError, EOFError, struct.error):
                    code = None  # nothing was run: the JVM takes it
                finally:
                    sock.close()
    if code is None:
        import signal
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # Python ignores it, and an ignored signal outlives exec
        os.execv(java_command[0], java_command + args)
    return code


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        os._exit(130)  # the connection closes with this process: the background process stops the command
