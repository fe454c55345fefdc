package io.devk8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the background process of one installation lives: a folder only this user can enter (under
 * {@code $XDG_RUNTIME_DIR}, else the temporary folder), and in it the socket and the log of the process that serves
 * this jar on this JDK. What the process must match to serve a command (its identity) is the jar (path, size, time),
 * the JDK (folder and module image) and {@code DEVK8S_JAVA_OPTS}; the socket is named after it, so a re-installed
 * jar, another JDK or other options get a process of their own, and the old one leaves when it has nothing to do.
 */
record DaemonPaths(Path dir, Path socket, Path log, Path jar, String identity) {

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    /**
     * The paths for this process's jar and JDK, or null when there is no single jar to serve (classes from a
     * folder, as in tests) or no private folder can be had.
     */
    static DaemonPaths of(Map<String, String> env) {
        return of(env, System.getProperty("java.class.path", ""), System.getProperty("java.home", ""));
    }

    /**
     * The paths for a JVM with this class path and JDK folder. The JDK is told apart by its folder and its module
     * image ({@code lib/modules}: size and time), which an update of the JDK in place rewrites; the launcher's
     * Python client ({@code devk8s-client.py}) computes the same name without starting a JVM.
     */
    static DaemonPaths of(Map<String, String> env, String classPath, String javaHome) {
        if (classPath.isEmpty() || classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return null;
        }
        try {
            Path jar = Path.of(classPath).toRealPath();
            if (!Files.isRegularFile(jar)) {
                return null;
            }
            String runtime = env.get("XDG_RUNTIME_DIR");
            String user = safeName(System.getProperty("user.name", "user"));
            Path dir = runtime != null && runtime.startsWith("/") && Files.isDirectory(Path.of(runtime))
                    ? Path.of(runtime, "devk8s")
                    : Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "devk8s-" + user);
            String identity = DaemonProtocol.VERSION + "\n" + jar + "\n" + Files.size(jar) + "\n"
                    + Files.getLastModifiedTime(jar).toMillis() + "\n" + javaHome + "\n"
                    + stamp(Path.of(javaHome, "lib", "modules")) + "\n" + env.getOrDefault("DEVK8S_JAVA_OPTS", "");
            // named after all of it: another jar, JDK or DEVK8S_JAVA_OPTS meets another process, never this one's
            String name = Long.toHexString(fnv(identity));
            return new DaemonPaths(dir, dir.resolve(name + ".sock"), dir.resolve(name + ".log"), jar, identity);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A file's size and time ({@code SIZE/MILLIS}), or {@code -} when it cannot be read. */
    static String stamp(Path file) {
        try {
            return Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException | RuntimeException e) {
            return "-";
        }
    }

    /**
     * Makes the folder when missing, and says whether it is this user's alone (a real folder, owned by this user,
     * no access for others): a socket anyone else could reach would run commands for them.
     */
    boolean privateDir() {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another devk8s made it a moment ago: checked below like any other
                }
            }
            return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName()
                            .equals(System.getProperty("user.name"))
                    && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * Whether the process at the other end of {@code channel} runs as this user (SO_PEERCRED): a socket in a private
     * folder can only be reached by its user, and this says so once more at the socket itself. False where the
     * platform cannot tell.
     */
    static boolean sameUser(java.nio.channels.NetworkChannel channel) {
        try {
            return channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName()
                    .equals(System.getProperty("user.name"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code name} with every character but letters, digits, '.', '_' and '-' as '_' (a loop: a regex costs 10 ms). */
    static String safeName(String name) {
        char[] chars = name.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-')) {
                chars[i] = '_';
            }
        }
        return new String(chars);
    }

    /** 64-bit FNV-1a: a short, stable name (MessageDigest would load the security providers for a file name). */
    static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
