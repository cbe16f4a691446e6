package io.oqto.runner.spi.memory;

import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The input rules every memory store shares, mmry's where it has them (services-spec §3.1: 16,000 characters of
 * input, importance 1-10, store names): checked before anything is written, so a refused input writes nothing and
 * both stores refuse the same things with the same words.
 */
public final class MemoryRules {

    /** mmry's {@code max_input_chars}. */
    public static final int MAX_CONTENT = 16_000;

    public static final int MAX_TAGS = 32;
    public static final int MAX_TAG = 64;
    public static final String DEFAULT_CATEGORY = "default";
    public static final int DEFAULT_IMPORTANCE = 5;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** mmry's store names: 1-64 of {@code [A-Za-z0-9_-]}, not starting with {@code -} or {@code _}. */
    private static final Pattern STORE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,79}");

    private MemoryRules() {}

    /** The draft as a new memory takes it; INVALID naming the field otherwise. */
    public static MemoryDraft forCreate(MemoryDraft d) throws MemoryException {
        if (d.content() == null) {
            throw invalid("\"content\" is required");
        }
        return check(d);
    }

    /** The draft as an update takes it (at least one field); INVALID naming the field otherwise. */
    public static MemoryDraft forUpdate(MemoryDraft d) throws MemoryException {
        if (d.content() == null && d.category() == null && d.tags() == null && d.importance() == null) {
            throw invalid("nothing to change: give content, category, tags or importance");
        }
        return check(d);
    }

    private static MemoryDraft check(MemoryDraft d) throws MemoryException {
        String content = d.content();
        if (content != null) {
            if (content.isBlank()) {
                throw invalid("\"content\" must not be empty");
            }
            if (content.length() > MAX_CONTENT) {
                throw invalid("\"content\" is " + content.length() + " characters; at most " + MAX_CONTENT);
            }
            if (content.indexOf('\0') >= 0) {
                throw invalid("\"content\" must not contain NUL");
            }
        }
        String category = d.category();
        if (category != null && !NAME.matcher(category).matches()) {
            throw invalid("\"category\" must be 1-64 of A-Z, a-z, 0-9 and . _ -, starting with a letter or digit");
        }
        List<String> tags = d.tags();
        if (tags != null) {
            if (tags.size() > MAX_TAGS) {
                throw invalid("at most " + MAX_TAGS + " tags");
            }
            for (String t : tags) {
                if (!NAME.matcher(t).matches()) {
                    throw invalid("tag \"" + printable(t)
                            + "\" must be 1-64 of A-Z, a-z, 0-9 and . _ -, starting with a" + " letter or digit");
                }
            }
        }
        Integer importance = d.importance();
        if (importance != null && (importance < 1 || importance > 10)) {
            throw invalid("\"importance\" must be from 1 to 10");
        }
        return d;
    }

    /** A memory id as the stores make them ({@code mem_<uuid>} or a UUID); INVALID otherwise. */
    public static String id(@Nullable String id) throws MemoryException {
        if (id == null || !ID.matcher(id).matches()) {
            throw invalid("not a memory id: \"" + printable(String.valueOf(id)) + "\"");
        }
        return id;
    }

    /** mmry's rule for store names; INVALID otherwise. */
    public static String store(String name) throws MemoryException {
        if (!STORE.matcher(name).matches()) {
            throw invalid("not a store name: \"" + printable(name)
                    + "\" (1-64 of A-Z, a-z, 0-9, _ and -, not starting with _ or -)");
        }
        return name;
    }

    private static String printable(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static MemoryException invalid(String message) {
        return new MemoryException(MemoryException.Kind.INVALID, message);
    }
}
