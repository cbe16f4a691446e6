package io.oqto.api.auth;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What is known of an issued token, never its secret.
 *
 * @param id public token id (the {@code <id>} of {@code oqto_<id>_<secret>})
 * @param user platform user it acts as
 * @param role its role
 * @param name what its owner called it ({@code ""} for tokens made before tokens had names)
 * @param createdAt when it was issued
 * @param expiresAt when it stops working; null: never
 * @param lastUsedAt when it last authenticated a request (kept to the minute); null: never
 * @since 1.5
 */
public record TokenInfo(
        String id,
        String user,
        Role role,
        String name,
        Instant createdAt,
        @Nullable Instant expiresAt,
        @Nullable Instant lastUsedAt) {

    /** Whether it has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
