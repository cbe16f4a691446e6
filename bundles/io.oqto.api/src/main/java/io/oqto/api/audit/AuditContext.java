package io.oqto.api.audit;

import org.jspecify.annotations.Nullable;

/**
 * Who the current thread acts for — set by the REST API for a request and by the console for a command — so that a
 * service deeper down (provisioning's steps) records its own lines with the same actor and request id.
 */
public final class AuditContext {

    /** The actor, their role, the request id and the client's address, as in {@link AuditEvent}. */
    public record Who(String actor, String role, String requestId, String source) {}

    private static final ThreadLocal<@Nullable Who> CURRENT = new ThreadLocal<>();

    private AuditContext() {}

    /** Who acts on this thread, or null outside a request or command. */
    public static @Nullable Who current() {
        return CURRENT.get();
    }

    /** Sets who acts on this thread until the returned scope closes (which restores what was before). */
    public static Scope enter(Who who) {
        Who before = CURRENT.get();
        CURRENT.set(who);
        return () -> {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        };
    }

    /** Ends an {@link #enter}. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
