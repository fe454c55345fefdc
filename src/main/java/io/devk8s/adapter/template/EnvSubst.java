package io.devk8s.adapter.template;

import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import java.util.Optional;
import java.util.function.Function;

/**
 * Environment-variable substitution in the {@code envsubst} style, but strict and narrow.
 *
 * <p>Exactly two forms are replaced:
 * <ul>
 *   <li>{@code ${NAME}}: the value of {@code NAME}; if it is unset (or empty) rendering stops with an error
 *       naming the file, the line and the variable, where plain {@code envsubst} would silently write an
 *       empty string;</li>
 *   <li>{@code ${NAME:-default}}: the value of {@code NAME}, or {@code default} when it is unset or empty
 *       (the default is literal text up to the first <code>&#125;</code> on the same line).</li>
 * </ul>
 * {@code NAME} must be an identifier ({@code [A-Za-z_][A-Za-z0-9_]*}) that does not start with two
 * underscores. Everything else stays exactly as written, so the {@code $} syntax of other tools passes
 * through: {@code $1}, {@code ${1}}, {@code $NAME} without braces, Grafana's {@code $__tags},
 * {@code ${__from}} and {@code ${__value.raw}}, {@code $$} and {@code $${X}} (a {@code $} right after
 * another {@code $} never starts a substitution).
 *
 * <p><b>Order with Jinja.</b> In a template, substitution runs first, on the template source, and Jinja
 * renders the result. Line numbers in both kinds of error are therefore the lines of the file as written
 * (a value holding a line break is refused for that reason), substituted values become template text (a
 * value containing <code>&#123;&#123;</code> is seen by Jinja), and files inserted with the {@code embed} filter are never
 * substituted: that is the way to ship text that must keep a literal {@code ${NAME}}.
 */
public final class EnvSubst {
    private final Function<String, Optional<String>> lookup;

    public EnvSubst(Environment environment) {
        this(environment::get);
    }

    /** Variables from any lookup; an empty result means unset. */
    public EnvSubst(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /**
     * Substitutes {@code text}; {@code file} only names it in errors. Line endings (LF or CRLF) and every
     * character outside the replaced expressions are kept as they are.
     *
     * @throws Devk8sException (usage) naming {@code file:line} for an unset variable without default, or a
     *     value holding a line break
     */
    public String apply(String file, String text) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            }
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            // a run of '$': only a lone '$' can start ${...}
            int run = i;
            while (run < n && text.charAt(run) == '$') {
                run++;
            }
            if (run - i > 1 || run >= n || text.charAt(run) != '{') {
                out.append(text, i, run);
                i = run;
                continue;
            }
            int end = expressionEnd(text, run + 1);
            if (end < 0) {
                out.append('$');
                i++;
                continue;
            }
            String body = text.substring(run + 1, end); // NAME or NAME:-default
            int sep = body.indexOf(":-");
            String name = sep < 0 ? body : body.substring(0, sep);
            Optional<String> value = lookup.apply(name);
            String replacement;
            if (value.isPresent()) {
                replacement = value.get();
            } else if (sep >= 0) {
                replacement = body.substring(sep + 2);
            } else {
                throw Devk8sException.usage(file + ":" + line + ": ${" + name + "} is not set: export " + name
                        + "=... before running devk8s, or give a default: ${" + name + ":-value}");
            }
            if (replacement.indexOf('\n') >= 0 || replacement.indexOf('\r') >= 0) {
                throw Devk8sException.usage(file + ":" + line + ": ${" + name + "} holds a line break, which "
                        + "would shift the file's lines: use a single-line value, or put multi-line text in a "
                        + "file and insert it with the embed filter");
            }
            out.append(replacement);
            i = end + 1;
        }
        return out.toString();
    }

    /**
     * Where {@code ${NAME}} or {@code ${NAME:-default}} starting at {@code from} (just after the brace)
     * ends: the index of its closing brace, or -1 when the text there is not one of those two forms.
     */
    private static int expressionEnd(String text, int from) {
        int n = text.length();
        int i = from;
        if (i >= n || !isIdentifierStart(text.charAt(i))) {
            return -1;
        }
        if (text.startsWith("__", i)) {
            return -1; // reserved for tools' built-ins such as Grafana's ${__from}
        }
        while (i < n && isIdentifierPart(text.charAt(i))) {
            i++;
        }
        if (i < n && text.charAt(i) == '}') {
            return i;
        }
        if (!text.startsWith(":-", i)) {
            return -1;
        }
        for (int j = i + 2; j < n; j++) {
            char c = text.charAt(j);
            if (c == '}') {
                return j;
            }
            if (c == '\n' || c == '\r') {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }
}
