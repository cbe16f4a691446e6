package io.oqto.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads a server-sent-event stream on a thread of its own, keeping every event; written against the SSE format. */
final class SseClient implements AutoCloseable {

    record Event(String id, String name, String data) {}

    final List<Event> events = new CopyOnWriteArrayList<>();
    final int status;
    private final Thread reader;
    private volatile Stream<String> lines;

    SseClient(HttpClient http, String url, String token, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        status = r.statusCode();
        lines = r.body();
        reader = new Thread(
                () -> {
                    String id = null;
                    String name = "message";
                    StringBuilder data = new StringBuilder();
                    try {
                        for (String line : (Iterable<String>) lines::iterator) {
                            if (line.isEmpty()) {
                                if (data.length() > 0) {
                                    events.add(new Event(id, name, data.toString()));
                                }
                                id = null;
                                name = "message";
                                data.setLength(0);
                            } else if (line.startsWith("id: ")) {
                                id = line.substring(4);
                            } else if (line.startsWith("event: ")) {
                                name = line.substring(7);
                            } else if (line.startsWith("data: ")) {
                                data.append(line.substring(6));
                            }
                        }
                    } catch (RuntimeException closed) {
                        // the stream was closed
                    }
                },
                "sse " + url);
        reader.setDaemon(true);
        reader.start();
    }

    Event await(Predicate<Event> match, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Event e : events) {
                if (match.test(e)) {
                    return e;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError(
                "no " + what + " among " + events.stream().map(Event::name).toList());
    }

    static Predicate<Event> named(String name) {
        return e -> e.name().equals(name);
    }

    @Override
    public void close() {
        lines.close();
        reader.interrupt();
    }
}
