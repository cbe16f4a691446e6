package io.oqto.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oqto.api.runner.RunnerSubscription;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.Subscribed;
import io.oqto.api.runner.SubscriptionEnded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.junit.jupiter.api.Test;

class EventStreamsTest {

    private final EventStreams streams = new EventStreams(new ObjectMapper());
    private final AtomicInteger subscribed = new AtomicInteger();
    private final AtomicInteger unsubscribed = new AtomicInteger();

    private RunnerSubscription subscription() {
        subscribed.incrementAndGet();
        return new RunnerSubscription() {
            @Override
            public Subscribed reply() {
                return new Subscribed("1");
            }

            @Override
            public void close() {
                unsubscribed.incrementAndGet();
            }
        };
    }

    @Test
    void aUserBeyondTheBoundIsBusyAndTheRunnerIsNotAsked() {
        for (int i = 0; i < EventStreams.MAX_PER_USER; i++) {
            EventStream s = streams.newStream(ProcessesResource::sse, ProcessesResource::isLast);
            streams.open("alice", s, events -> subscription());
        }
        ApiProblem p = assertThrows(
                ApiProblem.class,
                () -> streams.open(
                        "alice",
                        streams.newStream(ProcessesResource::sse, ProcessesResource::isLast),
                        events -> subscription()));
        assertEquals(
                new ApiProblem.Body(
                        429,
                        "busy",
                        "Too many event streams",
                        "alice already has 64 event streams open (the limit per user): close one first"),
                p.body());
        assertEquals(EventStreams.MAX_PER_USER, subscribed.get());
        // Another user is not affected by alice's streams.
        streams.open(
                "bob", streams.newStream(ProcessesResource::sse, ProcessesResource::isLast), events -> subscription());
        assertEquals(1, streams.openStreams("bob"));
    }

    @Test
    void aStreamThatEndsGivesBackItsPlaceAndEndsItsSubscription() throws Exception {
        EventStream s = streams.newStream(ProcessesResource::sse, ProcessesResource::isLast);
        Response r = streams.open("alice", s, events -> subscription());
        assertEquals(1, streams.openStreams("alice"));
        s.offer(new SubscriptionEnded("test"));
        ((StreamingOutput) r.getEntity()).write(new ByteArrayOutputStream());
        assertEquals(0, streams.openStreams("alice"));
        assertEquals(1, unsubscribed.get());
    }

    @Test
    void closingAllEndsEachStreamTellingItsClientToReconnect() throws Exception {
        EventStream s = streams.newStream(ProcessesResource::sse, ProcessesResource::isLast);
        Response r = streams.open("alice", s, events -> subscription());
        streams.closeAll();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((StreamingOutput) r.getEntity()).write(out);
        assertEquals(
                ": connected\n\nevent: reconnect\ndata: {\"reason\":\"the server's API is being updated or stopped\","
                        + "\"reconnect\":\"with Last-Event-ID: the id of the last event received\"}\n\n",
                out.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, streams.openStreams("alice"));
        assertEquals(1, unsubscribed.get());
    }

    @Test
    void aFailedSubscriptionGivesBackItsPlace() {
        assertThrows(
                RunnerUnavailableException.class,
                () -> streams.open(
                        "alice", streams.newStream(ProcessesResource::sse, ProcessesResource::isLast), events -> {
                            throw new RunnerUnavailableException("gone");
                        }));
        assertEquals(0, streams.openStreams("alice"));
    }

    @Test
    void aClientThatWentAwayEndsItsSubscription() throws Exception {
        EventStream s = streams.newStream(ProcessesResource::sse, ProcessesResource::isLast);
        Response r = streams.open("alice", s, events -> subscription());
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        // The usual end of a stream, not an error: it returns (nothing for CXF to log with a stack trace).
        ((StreamingOutput) r.getEntity()).write(gone);
        assertEquals(0, streams.openStreams("alice"));
        assertEquals(1, unsubscribed.get());
    }
}
