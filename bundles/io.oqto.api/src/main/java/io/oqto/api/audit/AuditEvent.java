package io.oqto.api.audit;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One audited action. Every field is plain text as it came (a name with a newline or a quote stays that name): the
 * log writes it as one JSON line, so no field can forge another line or field. Never a secret: targets are names and
 * paths, not bodies.
 *
 * @param time when it happened
 * @param actor who: a platform user, {@code operator:<console user>}, or the name a failed sign-in gave
 * @param role {@code admin}, {@code user}, {@code operator}, or {@code anonymous}
 * @param action what, e.g. {@code POST /api/v1/users/{user}/tokens}, {@code shell oqto:user-create},
 *     {@code provision create-linux-user}, {@code login}
 * @param target what it acted on, e.g. {@code /api/v1/users/alice/tokens} or a user's name
 * @param result {@code ok}, {@code refused} (the caller's fault: 4xx) or {@code failed} (the platform's: 5xx)
 * @param detail the status and error code, or the failure's message
 * @param requestId ties the lines of one request together (the client's {@code X-Request-Id} when it sent a sane
 *     one)
 * @param source the client's address, or {@code console}
 */
public record AuditEvent(
        Instant time,
        String actor,
        String role,
        String action,
        String target,
        String result,
        String detail,
        String requestId,
        String source) {

    /**
     * A fresh request id: a random (version 4) UUID from a per-thread generator. An id correlates lines, it guards
     * nothing, and {@code UUID.randomUUID()}'s shared secure generator was a lock every request queued on.
     */
    public static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~0xC000_0000_0000_0000L) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(high, low).toString();
    }

    /**
     * An action happening now, on behalf of whoever {@link AuditContext} says acts on this thread; outside any
     * request or command that is the platform itself ({@code system}).
     */
    public static AuditEvent now(String action, String target, String result, String detail) {
        AuditContext.Who who = AuditContext.current();
        return who == null
                ? new AuditEvent(
                        Instant.now(), "system", "system", action, target, result, detail, newRequestId(), "internal")
                : new AuditEvent(
                        Instant.now(),
                        who.actor(),
                        who.role(),
                        action,
                        target,
                        result,
                        detail,
                        who.requestId(),
                        who.source());
    }
}
