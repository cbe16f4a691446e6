package io.oqto.agent.internal;

import io.oqto.runner.protocol.EventChannel;
import io.oqto.runner.protocol.Frame;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pushes a session's events to one client on a thread of its own, from the sequence number it asked for:
 * replayed from the log first, then live. A client that falls behind the log's replay window gets a
 * {@code session_resync} saying how many events it missed and where it resumes; memory stays bounded by
 * the log whatever the client does.
 */
final class SessionSubscription implements Runnable {

    static final int BATCH = 200;

    private final String id;
    private final AgentSession session;
    private final EventChannel channel;
    private final Runnable onEnd;
    private long cursor;
    private volatile String cancelled;
    private Thread thread;

    SessionSubscription(String id, AgentSession session, long after, EventChannel channel, Runnable onEnd) {
        this.id = id;
        this.session = session;
        this.cursor = after;
        this.channel = channel;
        this.onEnd = onEnd;
    }

    void start() {
        session.subscribed();
        thread = new Thread(this, "oqto-session-subscription " + session.id());
        thread.setDaemon(true);
        thread.start();
    }

    void cancel(String reason) throws InterruptedException {
        cancelled = reason;
        if (thread != null) {
            thread.interrupt();
            thread.join(2000);
        }
    }

    @Override
    public void run() {
        try {
            while (cancelled == null && channel.isOpen()) {
                EventLog.Slice s = session.log().after(cursor, BATCH);
                if (s.missed() > 0) {
                    channel.send(frame("session_resync").with("missed", s.missed()).with("resumed_after", cursor + s.missed()));
                }
                if (!s.events().isEmpty()) {
                    // One frame per batch: under load a subscriber catches up with few writes.
                    channel.send(frame("session_events").with("events", s.events().stream().map(AgentEvent::json).toList()));
                }
                cursor = s.next();
                if (s.events().isEmpty()) {
                    session.log().await(cursor, 1000);
                }
            }
        } catch (InterruptedException e) {
            // cancelled
        } finally {
            session.unsubscribed();
            if (cancelled != null) {
                Thread.interrupted();
                channel.send(frame("subscription_ended").with("reason", cancelled));
            }
            onEnd.run();
        }
    }

    private Frame frame(String type) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("subscription", id);
        f.put("session", session.id());
        return new Frame(null, type, f);
    }
}
