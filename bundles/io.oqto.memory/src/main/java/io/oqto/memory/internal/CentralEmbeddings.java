package io.oqto.memory.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.oqto.runner.protocol.JsonTrees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The central embeddings service ({@code mmry-embeddings}, services-spec §3.2): {@code POST /v1/embeddings} with
 * {@code {"input": [...]}} (at most 64 at a time, the answers put back in order by {@code index}) and
 * {@code POST /v1/rerank}, with the bearer key when there is one. Any failure is an IOException naming the service,
 * which the store turns into a search by words that says why.
 */
final class CentralEmbeddings {

    static final int MAX_BATCH = 64;
    private static final JsonFactory JSON = new JsonFactory();

    private final String baseUrl;
    private final @Nullable String key;
    private final Duration timeout;

    CentralEmbeddings(String baseUrl, @Nullable String key, Duration timeout) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.key = key;
        this.timeout = timeout;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The model's vectors for {@code texts}, in their order. */
    List<float[]> embed(List<String> texts) throws IOException {
        List<float[]> out = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += MAX_BATCH) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + MAX_BATCH));
            Object answer = post("/v1/embeddings", Map.of("input", batch));
            float[][] vectors = new float[batch.size()][];
            List<?> data = answer instanceof Map<?, ?> m && m.get("data") instanceof List<?> l ? l : List.of();
            for (Object o : data) {
                if (o instanceof Map<?, ?> e
                        && e.get("index") instanceof Number i
                        && i.intValue() >= 0
                        && i.intValue() < vectors.length
                        && e.get("embedding") instanceof List<?> v) {
                    float[] f = new float[v.size()];
                    for (int k = 0; k < f.length; k++) {
                        f[k] = v.get(k) instanceof Number n ? n.floatValue() : 0;
                    }
                    vectors[i.intValue()] = f;
                }
            }
            for (float[] v : vectors) {
                if (v == null) {
                    throw new IOException("the central embeddings service at " + baseUrl + " left out an input");
                }
                out.add(v);
            }
        }
        return out;
    }

    /** The indexes of {@code documents}, most relevant to {@code query} first. */
    List<Integer> rerank(String query, List<String> documents) throws IOException {
        Object answer = post("/v1/rerank", Map.of("query", query, "documents", documents));
        List<Integer> order = new ArrayList<>();
        List<?> results = answer instanceof Map<?, ?> m && m.get("results") instanceof List<?> l ? l : List.of();
        for (Object o : results) {
            if (o instanceof Map<?, ?> r && r.get("index") instanceof Number i && i.intValue() < documents.size()) {
                order.add(i.intValue());
            }
        }
        return order;
    }

    private @Nullable Object post(String path, Object body) throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
        try {
            c.setRequestMethod("POST");
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setRequestProperty("Content-Type", "application/json");
            if (key != null) {
                c.setRequestProperty("Authorization", "Bearer " + key);
            }
            c.setDoOutput(true);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.createGenerator(bytes)) {
                JsonTrees.write(g, body);
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes.toByteArray());
            }
            int status = c.getResponseCode();
            if (status / 100 != 2) {
                throw new IOException("the central embeddings service at " + baseUrl + " answered " + status);
            }
            try (InputStream in = c.getInputStream();
                    JsonParser p = JSON.createParser(in)) {
                JsonToken t = p.nextToken();
                return t == null ? null : JsonTrees.read(p, t);
            }
        } catch (java.net.ConnectException e) {
            throw new IOException(
                    "the central embeddings service at " + baseUrl + " did not answer: connection refused", e);
        } catch (java.net.SocketTimeoutException e) {
            throw new IOException("the central embeddings service at " + baseUrl + " did not answer in time", e);
        } finally {
            c.disconnect();
        }
    }
}
