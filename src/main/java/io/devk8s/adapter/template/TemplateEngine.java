package io.devk8s.adapter.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.InvalidArgumentException;
import com.hubspot.jinjava.interpret.InvalidInputException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import com.hubspot.jinjava.lib.filter.Filter;
import io.devk8s.Devk8sException;
import io.devk8s.Environment;
import java.util.Comparator;
import java.util.Map;

/**
 * Renders Jinja templates with Jinjava in strict mode: an undefined variable, a missing key or an unknown
 * filter is an error naming the template file and line, never an empty string.
 *
 * <p>{@code {% include %}} and {@code {% import %}} take paths relative to the templates root
 * ({@code stack/_macros.yaml}). Besides Jinjava's built-ins, templates get the filter {@code embed(indent)}: {@code {{ "grafana/files/x.json"
 * | embed(4) }}} inserts that file of the same template folder as a YAML block scalar, byte for byte,
 * without rendering it. That is how files with their own {@code {{ }}} or {@code $} syntax (Grafana
 * dashboards, Prometheus relabelling) reach ConfigMaps untouched.
 *
 * <p>Every template, including partials pulled in with {@code include} or {@code import}, first goes through
 * {@link EnvSubst} ({@code ${NAME}} and {@code ${NAME:-default}} from the environment), then through Jinja.
 * So both kinds of error report the lines of the file as written, and embedded files are never substituted.
 */
public final class TemplateEngine {
    private final TemplateSource source;
    private final EnvSubst envSubst;
    private Jinjava jinjava; // built for the first template that has Jinja markup
    /** One copy of Jinjava's global context per engine and thread, for all its templates (see renderForResult). */
    private final ThreadLocal<Context> globals = ThreadLocal.withInitial(() -> jinjava().getGlobalContextCopy());

    /**
     * Templates from {@code source} with an empty environment: {@code ${NAME:-default}} takes its default
     * and {@code ${NAME}} is an error. For tools and tests that must not depend on the caller's environment.
     */
    public TemplateEngine(TemplateSource source) {
        this(source, new EnvSubst(name -> java.util.Optional.empty()));
    }

    /** Templates from {@code source}, {@code ${NAME}} from the devk8s environment. */
    public TemplateEngine(TemplateSource source, Environment environment) {
        this(source, new EnvSubst(environment));
    }

    public TemplateEngine(TemplateSource source, EnvSubst envSubst) {
        this.source = source;
        this.envSubst = envSubst;
    }

    private Jinjava jinjava() {
        if (jinjava != null) {
            return jinjava;
        }
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withNestedInterpretationEnabled(false)
                .withKeepTrailingNewline(true)
                // trim_blocks/lstrip_blocks are done by BlockLines, which keeps error line numbers right
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFilter(new EmbedFilter());
        // {% include "stack/_labels.yaml" %} and {% import %} read from the same source (user folder first)
        jinjava.setResourceLocator((name, charset, interpreter) -> {
            try {
                String text = envSubst.apply(source.describe(name), source.read(name));
                TemplateSyntax.check(source.describe(name), text);
                return BlockLines.trim(text);
            } catch (Devk8sException e) {
                // Jinjava would fold this into an error on the including line; keep ours, it names the partial
                if (PARTIAL_ERROR.get() == null) {
                    PARTIAL_ERROR.set(e);
                }
                throw e;
            }
        });
        this.jinjava = jinjava;
        return jinjava;
    }

    public TemplateSource source() {
        return source;
    }

    /**
     * Renders {@code path} (relative to the templates root, e.g. {@code stack/traefik/deployment.yaml}) with
     * the given variables.
     */
    public String render(String path, Map<String, Object> variables) {
        return renderText(path, source.read(path), variables);
    }

    /**
     * Renders a template text (environment substitution, then Jinja); {@code path} only names it in errors
     * and anchors {@code embed}.
     */
    public String renderText(String path, String text, Map<String, Object> variables) {
        return renderText(path, text, variables, false);
    }

    /**
     * As {@link #renderText(String, String, Map)}; a text without Jinja markup after substitution is returned as it
     * is, which is what Jinja makes of it (see {@link #needsJinja}), unless {@code alwaysJinja}.
     */
    String renderText(String path, String text, Map<String, Object> variables, boolean alwaysJinja) {
        String plain = envSubst.apply(source.describe(path), text);
        TemplateSyntax.check(source.describe(path), plain);
        String substituted = BlockLines.trim(plain);
        if (!alwaysJinja && !needsJinja(substituted)) {
            return substituted;
        }
        Jinjava jinjava = jinjava();
        RenderResult result;
        String previous = CURRENT.get();
        Devk8sException previousError = PARTIAL_ERROR.get();
        CURRENT.set(path);
        PARTIAL_ERROR.set(null);
        Devk8sException partialError;
        try {
            result = renderForResult(jinjava, substituted, variables);
        } finally {
            partialError = PARTIAL_ERROR.get();
            CURRENT.set(previous);
            PARTIAL_ERROR.set(previousError);
        }
        if (partialError != null) {
            throw partialError;
        }
        // Jinjava reports some syntax errors (a stray end tag, an unclosed comment) only as warnings: errors here
        TemplateError first = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL
                        || e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR)
                .min(Comparator.comparingInt(TemplateError::getLineno)
                        .thenComparing(e -> e.getSeverity() == TemplateError.ErrorType.FATAL ? 0 : 1))
                .orElse(null);
        if (first != null) {
            throw Devk8sException.usage(source.describe(path) + ":" + Math.max(first.getLineno(), 1) + ": "
                    + describe(first));
        }
        return result.getOutput();
    }

    /**
     * What {@link Jinjava#renderForResult(String, Map)} does, over one copy of the global context per engine:
     * Jinjava copies it for every template (every filter, function and tag registered again), which was a tenth of
     * a no-op {@code up}. An engine serves one command; each thread rendering with it gets a copy of its own, reset
     * after each template as Jinjava resets its global context.
     */
    private RenderResult renderForResult(Jinjava jinjava, String template, Map<String, Object> variables) {
        JinjavaConfig config = jinjava.getGlobalConfig();
        Context shared = globals.get();
        Context context = new Context(shared, variables, config.getDisabled());
        JinjavaInterpreter interpreter = config.getInterpreterFactory().newInstance(jinjava, context, config);
        try {
            // keepTrailingNewline is set, so there is no trailing line break to strip
            return new RenderResult(interpreter.render(template), interpreter.getContext(),
                    interpreter.getErrorsCopy());
        } catch (InterpretException e) {
            TemplateError error = e instanceof TemplateSyntaxException syntax ? TemplateError.fromException(syntax)
                    : TemplateError.fromSyntaxError(e);
            return new RenderResult(error, interpreter.getContext(), interpreter.getErrorsCopy());
        } catch (InvalidArgumentException e) {
            return new RenderResult(TemplateError.fromInvalidArgumentException(e), interpreter.getContext(),
                    interpreter.getErrorsCopy());
        } catch (InvalidInputException e) {
            return new RenderResult(TemplateError.fromInvalidInputException(e), interpreter.getContext(),
                    interpreter.getErrorsCopy());
        } catch (Exception e) {
            return new RenderResult(TemplateError.fromException(e), interpreter.getContext(),
                    interpreter.getErrorsCopy());
        } finally {
            shared.reset();
        }
    }

    /**
     * Whether a substituted template has any Jinja markup (an opening <code>&#123;&#123;</code>, <code>&#123;%</code>
     * or <code>&#123;#</code>, including the comments {@link BlockLines} adds). Without any, Jinja prints the text
     * unchanged (trailing line breaks kept), so it is not started at all: its classes take a noticeable part of a
     * short command's time.
     */
    static boolean needsJinja(String substituted) {
        for (int i = substituted.indexOf('{'); i >= 0 && i + 1 < substituted.length();
                i = substituted.indexOf('{', i + 1)) {
            char next = substituted.charAt(i + 1);
            if (next == '{' || next == '%' || next == '#') {
                return true;
            }
        }
        return false;
    }

    private String describe(TemplateError error) {
        String message = error.getMessage() == null ? error.getReason().toString() : error.getMessage();
        message = message.replaceAll("\\s+", " ").strip();
        if (error.getReason() == TemplateError.ErrorReason.UNKNOWN
                || message.startsWith("UnknownTokenException") || message.contains("Unknown token")) {
            String token = error.getFieldName() != null ? error.getFieldName() : message.replaceAll(".*: ", "");
            java.util.regex.Matcher filter = FILTER.matcher(token);
            while (filter.find()) {
                if (jinjava().getGlobalContext().getFilter(filter.group(1)) == null) {
                    return "unknown filter '" + filter.group(1) + "' in {{ " + token + " }}: check its spelling "
                            + "(filters include default, indent, quote, tojson, upper, lower, replace and embed)";
                }
            }
            if (token.contains("|")) {
                token = token.substring(0, token.indexOf('|')).strip();
            }
            return "undefined variable '" + token + "' (fix the name, define it in the values, or give a default: {{ "
                    + token + " | default('...') }})";
        }
        // Jinjava wraps exceptions from filters and includes as "pkg.SomeException: text": keep the text
        return message.replaceAll("(?:[a-z_][\\w]*\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
    }

    private static final java.util.regex.Pattern FILTER = java.util.regex.Pattern.compile("\\|\\s*([A-Za-z_]\\w*)");
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Devk8sException> PARTIAL_ERROR = new ThreadLocal<>();

    /** {@code "path" | embed(indent)}: a file inserted verbatim as a YAML block scalar. */
    private final class EmbedFilter implements Filter {
        @Override
        public String getName() {
            return "embed";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String relative = String.valueOf(var);
            String from = CURRENT.get();
            String root = from == null || !from.contains("/") ? "" : from.substring(0, from.indexOf('/') + 1);
            String arg = args.length > 0 ? args[0].strip() : "4";
            if (!arg.matches("\\d{1,2}")) {
                throw Devk8sException.usage("embed(" + arg + "): the argument is the indentation in spaces, e.g. "
                        + "{{ \"" + relative + "\" | embed(4) }}");
            }
            int indent = Integer.parseInt(arg);
            return YamlBlock.literal(source.read(root + relative), indent);
        }
    }
}
