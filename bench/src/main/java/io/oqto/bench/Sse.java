package io.oqto.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/** A minimal server-sent-events reader for the benches: calls back with each event's name and data. */
final class Sse implements AutoCloseable {

    private final Stream<String> lines;
    private final Thread reader;

    Sse(HttpClient http, String url, String token, BiConsumer<String, String> onEvent) throws Exception {
        HttpResponse<Stream<String>> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("SSE " + url + " answered " + r.statusCode());
        }
        lines = r.body();
        reader = new Thread(
                () -> {
                    String name = "message";
                    String data = null;
                    try {
                        for (String line : (Iterable<String>) lines::iterator) {
                            if (line.isEmpty()) {
                                if (data != null) {
                                    onEvent.accept(name, data);
                                }
                                name = "message";
                                data = null;
                            } else if (line.startsWith("event: ")) {
                                name = line.substring(7);
                            } else if (line.startsWith("data: ")) {
                                data = line.substring(6);
                            }
                        }
                    } catch (RuntimeException closed) {
                        // closed
                    }
                },
                "sse");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void close() {
        lines.close();
    }
}
