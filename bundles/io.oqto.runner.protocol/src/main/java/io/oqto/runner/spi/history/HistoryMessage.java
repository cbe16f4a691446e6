package io.oqto.runner.spi.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.oqto.runner.protocol.JsonTrees;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation as history keeps it: hstry's {@code Message} (services-spec §1.3) with its parts
 * as hstry's Part objects (§1.5: {@code text}, {@code thinking}, {@code tool_call}, {@code tool_result},
 * {@code image}, … each with an {@code id}).
 *
 * @param idx its place in the conversation, owned by the writer (0, 1, 2, …)
 * @param role {@code user}, {@code assistant}, {@code tool}, {@code system} or {@code other}
 * @param content the text of its text parts, joined by blank lines
 * @param parts hstry's parts, as JSON objects
 * @param createdAtMs when it was made
 * @param model {@code provider/model} of an assistant message
 * @param tokens input plus output tokens of an assistant message
 * @param costUsd its cost as the agent reported it
 */
public record HistoryMessage(
        int idx,
        String role,
        String content,
        List<Map<String, Object>> parts,
        long createdAtMs,
        @Nullable String model,
        @Nullable String provider,
        @Nullable Long tokens,
        @Nullable Double costUsd) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Its parts as hstry's {@code parts_json} (both stores keep them so). */
    public String partsJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            JsonTrees.write(g, parts);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /**
     * Parts read back from a {@code parts_json}: empty text is no parts; IOException when it is not one JSON array of
     * objects.
     *
     * @since 1.1
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> partsFrom(String json) throws IOException {
        if (json.isEmpty()) {
            return List.of();
        }
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken t = p.nextToken();
            Object v = t == null ? null : JsonTrees.read(p, t);
            if (p.nextToken() != null || !(v instanceof List<?> list)) {
                throw new IOException("not one JSON array");
            }
            for (Object o : list) {
                if (!(o instanceof Map)) {
                    throw new IOException("a part is not a JSON object");
                }
            }
            return (List<Map<String, Object>>) v;
        }
    }
}
