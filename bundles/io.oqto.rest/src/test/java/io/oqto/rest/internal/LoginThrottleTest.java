package io.oqto.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Failed sign-ins per user and per address, over a sliding window. */
class LoginThrottleTest {

    private Instant now = Instant.parse("2026-12-02T10:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aUserIsPausedAfterTheLimitUntilTheOldestFailureLeavesTheWindow() {
        LoginThrottle t = new LoginThrottle(3, 100, clock);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), t.wait("alice", "10.0.0." + i));
            t.failed("alice", "10.0.0." + i);
            now = now.plusSeconds(60);
        }
        assertEquals(Optional.of(Duration.ofMinutes(12)), t.wait("alice", "10.0.0.9"), "from any address");
        assertEquals(Optional.empty(), t.wait("bob", "10.0.0.9"), "another user is not paused");
        now = now.plus(Duration.ofMinutes(12));
        assertEquals(Optional.empty(), t.wait("alice", "10.0.0.9"), "the first failure left the window");
    }

    @Test
    void anAddressIsPausedAcrossUsersAndASuccessClearsOnlyTheUser() {
        LoginThrottle t = new LoginThrottle(100, 2, clock);
        t.failed("alice", "10.0.0.1");
        t.failed("bob", "10.0.0.1");
        assertEquals(Optional.of(LoginThrottle.WINDOW), t.wait("carol", "10.0.0.1"));
        assertEquals(Optional.empty(), t.wait("carol", "10.0.0.2"));
        t.succeeded("alice");
        assertEquals(Optional.of(LoginThrottle.WINDOW), t.wait("alice", "10.0.0.1"), "the address stays paused");

        t.limits(100, 3);
        assertEquals(Optional.empty(), t.wait("carol", "10.0.0.1"), "a raised limit applies at once");
    }
}
