package io.oqto.runner.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.EventFeed;
import io.oqto.runner.spi.SequencedBuffer;
import io.oqto.runner.spi.StreamingOperation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one subscription registry: events on the connection, unsubscribe, the cap, and every way one ends. */
class SubscriptionsTest {

    @TempDir
    Path dir;

    private RunnerServer server;
    /** A stream of numbered ticks, read by each feed with its own cursor. */
    private final SequencedBuffer<String> ticks = new SequencedBuffer<>(4);

    private final AtomicInteger openFeeds = new AtomicInteger();
    private final Ticker ticker = new Ticker();

    /** A streaming operation over {@link #ticks}: {@code follow_ticks {after}} opens a feed. */
    private final class Ticker implements StreamingOperation {
        @Override
        public Set<String> types() {
            return Set.of("follow_ticks", "tick");
        }

        @Override
        public Set<String> subscribingTypes() {
            return Set.of("follow_ticks");
        }

        @Override
        public Frame handle(Frame request) {
            long seq = ticks.lastSeq() + 1;
            ticks.append(n -> "tick " + n);
            return Frame.of(request.id(), "ticked").with("seq", seq);
        }

        @Override
        public EventFeed subscribe(Frame request) throws ProtocolException {
            openFeeds.incrementAndGet();
            long[] cursor = {request.number("after", 0)};
            return new EventFeed() {
                @Override
                public Map<String, Object> replyFields() {
                    return Map.of("last_seq", ticks.lastSeq());
                }

                @Override
                public List<Frame> next(long waitMillis) throws InterruptedException {
                    SequencedBuffer.Slice<String> s = ticks.after(cursor[0], 10);
                    List<Frame> out = new ArrayList<>();
                    if (s.missed() > 0) {
                        out.add(new Frame(null, "ticks_missed", Map.of("missed", s.missed())));
                    }
                    s.items().forEach(t -> out.add(new Frame(null, "tick", Map.of("text", t))));
                    cursor[0] = s.next();
                    if (out.isEmpty()) {
                        ticks.await(cursor[0], waitMillis);
                    }
                    return out;
                }

                @Override
                public void close() {
                    openFeeds.decrementAndGet();
                }
            };
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = new RunnerServer(TestRunnerConfig.at(dir.resolve("r.sock").toString()), Map.of(), "1.2.3", false);
        server.addOperation(ticker);
    }

    @AfterEach
    void stop() {
        server.deactivate();
    }

    @Test
    void eventsCarryTheSubscriptionAndUnsubscribeEndsItAfterTellingTheClient() throws Exception {
        try (LineClient c = new LineClient(dir.resolve("r.sock")).hello()) {
            assertEquals(
                    "{\"id\":\"s\",\"type\":\"subscribed\",\"subscription\":\"s\",\"last_seq\":0}",
                    c.call("{\"id\":\"s\",\"type\":\"follow_ticks\"}"));
            c.send("{\"id\":\"t1\",\"type\":\"tick\"}");
            String one = c.read();
            String other = c.read();
            // The event and the reply to the request that caused it come in either order.
            assertEquals(
                    Set.of(
                            "{\"id\":\"t1\",\"type\":\"ticked\",\"seq\":1}",
                            "{\"id\":null,\"type\":\"tick\",\"subscription\":\"s\",\"text\":\"tick 1\"}"),
                    Set.of(one, other));
            assertEquals(
                    "{\"id\":\"u\",\"type\":\"error\",\"code\":\"invalid_request\",\"message\":\"no subscription nope on this "
                            + "connection\"}",
                    c.call("{\"id\":\"u\",\"type\":\"unsubscribe\",\"subscription\":\"nope\"}"));
            c.send("{\"id\":\"u\",\"type\":\"unsubscribe\",\"subscription\":\"s\"}");
            assertEquals(
                    "{\"id\":null,\"type\":\"subscription_ended\",\"subscription\":\"s\",\"reason\":\"unsubscribed\"}",
                    c.read());
            assertEquals("{\"id\":\"u\",\"type\":\"unsubscribed\",\"subscription\":\"s\"}", c.read());
            waitUntil("the feed closed", () -> openFeeds.get() == 0);
            // Protocol 1.2's name for ending an agent session's subscription ends any.
            c.call("{\"id\":\"s2\",\"type\":\"follow_ticks\",\"after\":1}");
            c.send("{\"id\":\"u2\",\"type\":\"unsubscribe_session\",\"subscription\":\"s2\"}");
            assertEquals(
                    "{\"id\":null,\"type\":\"subscription_ended\",\"subscription\":\"s2\",\"reason\":\"unsubscribed\"}",
                    c.read());
            assertEquals("{\"id\":\"u2\",\"type\":\"unsubscribed\",\"subscription\":\"s2\"}", c.read());
        }
    }

    @Test
    void aSlowSubscriberLearnsWhatItMissedFromItsCursor() throws Exception {
        for (int i = 0; i < 10; i++) {
            ticks.append(n -> "tick " + n);
        }
        try (LineClient c = new LineClient(dir.resolve("r.sock")).hello()) {
            c.send("{\"id\":\"s\",\"type\":\"follow_ticks\",\"after\":2}");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                lines.add(c.read());
            }
            // Events may come before the reply; among themselves they are in order.
            assertTrue(
                    lines.remove("{\"id\":\"s\",\"type\":\"subscribed\",\"subscription\":\"s\",\"last_seq\":10}"),
                    lines.toString());
            assertEquals(
                    List.of(
                            "{\"id\":null,\"type\":\"ticks_missed\",\"subscription\":\"s\",\"missed\":4}",
                            "{\"id\":null,\"type\":\"tick\",\"subscription\":\"s\",\"text\":\"tick 7\"}",
                            "{\"id\":null,\"type\":\"tick\",\"subscription\":\"s\",\"text\":\"tick 8\"}",
                            "{\"id\":null,\"type\":\"tick\",\"subscription\":\"s\",\"text\":\"tick 9\"}",
                            "{\"id\":null,\"type\":\"tick\",\"subscription\":\"s\",\"text\":\"tick 10\"}"),
                    lines);
        }
    }

    @Test
    void aSubscriptionEndsWithItsConnection() throws Exception {
        try (LineClient c = new LineClient(dir.resolve("r.sock")).hello()) {
            c.call("{\"id\":\"a\",\"type\":\"follow_ticks\"}");
            c.call("{\"id\":\"b\",\"type\":\"follow_ticks\"}");
            assertEquals(2, openFeeds.get());
        }
        waitUntil("both feeds closed with the connection", () -> openFeeds.get() == 0);
        waitUntil(
                "no subscription thread left",
                () -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().startsWith("oqto-subscription")));
    }

    @Test
    void anOperationGoingAwayEndsItsSubscriptionsSayingWhy() throws Exception {
        try (LineClient c = new LineClient(dir.resolve("r.sock")).hello()) {
            c.call("{\"id\":\"s\",\"type\":\"follow_ticks\"}");
            server.removeOperation(ticker);
            assertEquals(
                    "{\"id\":null,\"type\":\"subscription_ended\",\"subscription\":\"s\",\"reason\":\"runner stopping\"}",
                    c.read());
            assertEquals(0, openFeeds.get());
            assertTrue(c.call("{\"id\":\"t\",\"type\":\"tick\"}").contains("\"code\":\"unknown_type\""));
        }
    }

    @Test
    void eachKindIsBoundedAndADuplicateIdIsRefused() throws Exception {
        try (LineClient c = new LineClient(dir.resolve("r.sock")).hello()) {
            for (int i = 0; i < Subscriptions.MAX_PER_TYPE; i++) {
                String reply = c.call("{\"id\":\"s" + i + "\",\"type\":\"follow_ticks\"}");
                assertTrue(reply.contains("\"type\":\"subscribed\""), reply);
            }
            assertEquals(
                    "{\"id\":\"over\",\"type\":\"error\",\"code\":\"busy\",\"message\":\"too many follow_ticks subscriptions "
                            + "(256) on this runner\"}",
                    c.call("{\"id\":\"over\",\"type\":\"follow_ticks\"}"));
            c.send("{\"id\":\"u\",\"type\":\"unsubscribe\",\"subscription\":\"s0\"}");
            assertTrue(c.read().contains("\"type\":\"subscription_ended\""));
            assertTrue(c.read().contains("\"type\":\"unsubscribed\""));
            assertEquals(
                    "{\"id\":\"s1\",\"type\":\"error\",\"code\":\"invalid_request\",\"message\":\"this connection already has "
                            + "a subscription s1\"}",
                    c.call("{\"id\":\"s1\",\"type\":\"follow_ticks\"}"));
            assertEquals(Subscriptions.MAX_PER_TYPE - 1, openFeeds.get(), "a refused feed is closed at once");
        }
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
