package io.devk8s.cli;

/** What the user typed, made safe to echo back in a one-line error. */
public final class Inputs {
    /** Longest piece of user input an error message repeats. */
    public static final int MAX_ECHO = 80;

    private Inputs() {
    }

    /**
     * The value as the user gave it, cut to {@value #MAX_ECHO} characters with the rest counted ({@code
     * "aaaa... (120000 characters)"}), and control characters (line breaks, escape codes) shown as {@code ?}.
     */
    public static String shorten(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int limit = Math.min(value.length(), MAX_ECHO);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (value.length() > MAX_ECHO) {
            out.append("... (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }

    /**
     * A message with every word longer than {@link #MAX_WORD} characters (in practice: echoed input, such as a
     * 120 KB {@code --namespace}) cut short by {@link #shorten}; shorter words stay as they are.
     */
    public static String shortenWords(String message) {
        if (message == null || message.length() <= MAX_WORD) {
            return message == null ? "" : message;
        }
        StringBuilder out = new StringBuilder();
        for (String word : message.split(" ", -1)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            if (word.length() <= MAX_WORD) {
                out.append(word);
                continue;
            }
            // quotes and punctuation around the input are the message's, not the input's
            int start = 0;
            while (start < word.length() && "'\"(`".indexOf(word.charAt(start)) >= 0) {
                start++;
            }
            int end = word.length();
            while (end > start && ":;,.)'\"`".indexOf(word.charAt(end - 1)) >= 0) {
                end--;
            }
            out.append(word, 0, start).append(shorten(word.substring(start, end))).append(word, end, word.length());
        }
        return out.toString();
    }

    /** Words up to this length (paths, URLs, commands) are never cut. */
    public static final int MAX_WORD = 200;
}
