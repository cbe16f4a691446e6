package io.oqto.rest.internal;

import org.jspecify.annotations.Nullable;

/**
 * Query parameters, parsed strictly. JAX-RS would turn {@code ?after=abc} into a 404 and {@code ?recursive=yes}
 * into a silent {@code false}; here each is a 400 naming the parameter and what it must be.
 */
final class QueryParams {

    private QueryParams() {}

    /** A whole number in [min, max]; {@code dflt} when absent. */
    static long whole(String name, String raw, long dflt, long min, long max) {
        if (raw == null || raw.isEmpty()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw invalid(name, "a whole number from " + min + " to " + max, raw);
    }

    /** {@code true} or {@code false}; {@code dflt} when absent. */
    static boolean flag(String name, String raw, boolean dflt) {
        if (raw == null || raw.isEmpty()) {
            return dflt;
        }
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, "true or false", raw);
        };
    }

    /** An ISO-8601 instant such as {@code 2026-12-01T00:00:00Z}, as milliseconds since 1970; null when absent. */
    static @Nullable Long instant(String name, @Nullable String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return java.time.Instant.parse(raw).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid(name, "an ISO-8601 time such as 2026-12-01T00:00:00Z", raw);
        }
    }

    private static ApiProblem invalid(String name, String what, String raw) {
        String shown = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        return new ApiProblem(
                400,
                "invalid_parameter",
                "Bad request",
                "query parameter " + name + " must be " + what + ", not \"" + shown.replaceAll("\\p{Cntrl}", "?")
                        + "\"");
    }
}
