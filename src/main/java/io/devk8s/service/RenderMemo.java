package io.devk8s.service;

import io.devk8s.adapter.template.TemplateSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The last few renders of this process, for the next command that renders the same thing: the background process
 * serves command after command, and a stack rendered again from the same inputs (templates, options, variables and
 * the environment variables the templates read) is the same text, which took a third of a no-op {@code up}.
 *
 * <p>An entry is used only when every input matches: the template root, the bundle (devk8s's own, fixed in its
 * jar, or a digest of the files of another), the user folder and a digest of all its files
 * (read again for every render), the options, the variables, and the value
 * (or absence) of each environment variable the templates looked up when the entry was made. Only renders that
 * succeeded are kept; a hit hands out its own copy of the values, so no caller can change what the next one gets.
 */
final class RenderMemo {
    /** What a render is a function of, apart from the environment. */
    record Key(String root, String bundleDigest, Optional<java.nio.file.Path> folder, String folderDigest,
            StackOptions options, Map<String, String> variables) {
        static Key of(String root, TemplateSource source, StackOptions options, Map<String, String> variables) {
            return new Key(root, source.bundleDigest(), source.overrideDir(), source.overrideDigest(), options,
                    Map.copyOf(variables));
        }
    }

    private record Entry(Key key, Map<String, Optional<String>> environmentRead, RenderedStack stack) {
    }

    private final int capacity;
    private final LinkedList<Entry> entries = new LinkedList<>(); // most recently used first

    RenderMemo(int capacity) {
        this.capacity = capacity;
    }

    /** The stack kept for {@code key}, when every environment variable it read still has the value it had. */
    synchronized Optional<RenderedStack> find(Key key, Function<String, Optional<String>> environment) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.key().equals(key) && entry.environmentRead().entrySet().stream()
                    .allMatch(e -> environment.apply(e.getKey()).equals(e.getValue()))) {
                it.remove();
                entries.addFirst(entry);
                return Optional.of(copy(entry.stack()));
            }
        }
        return Optional.empty();
    }

    /** Keeps {@code stack}, rendered for {@code key} with these environment variables read (absent: empty). */
    synchronized void keep(Key key, Map<String, Optional<String>> environmentRead, RenderedStack stack) {
        entries.removeIf(e -> e.key().equals(key));
        entries.addFirst(new Entry(key, Map.copyOf(environmentRead), copy(stack)));
        while (entries.size() > capacity) {
            entries.removeLast();
        }
    }

    /** The documents are immutable; the values are nested maps and lists, copied. */
    private static RenderedStack copy(RenderedStack stack) {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) deepCopy(stack.values().values());
        return new RenderedStack(new StackValues(values), stack.components(), stack.documents());
    }

    /** Nested maps and lists copied (as mutable LinkedHashMaps and ArrayLists); anything else shared. */
    static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return value;
    }
}
