package io.devk8s.adapter.hosts;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** What may go into a hosts-file block: IP literals, RFC 1123 host names and profile names. */
public final class HostsSyntax {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private HostsSyntax() {}

    /** An IPv4 dotted quad or an IPv6 literal (no zone, no brackets); never a name, never a DNS lookup. */
    public static boolean isIpLiteral(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        if (!s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            // a string with ':' made only of hex digits, ':' and '.' is parsed as a literal, never resolved
            InetAddress a = InetAddress.getByName(s);
            return a instanceof Inet6Address || a instanceof Inet4Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, at most 253 chars. */
    public static boolean isHostname(String s) {
        if (s == null || s.isEmpty() || s.length() > 253 || s.startsWith(".") || s.endsWith(".")) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !IPV4.matcher(s).matches();
    }

    /** A minikube profile name as it may appear in a block marker. */
    public static boolean isProfile(String s) {
        return s != null && PROFILE.matcher(s).matches();
    }
}
