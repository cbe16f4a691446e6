package io.oqto.rest.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed password checks, counted per user and per client address over a sliding {@link #WINDOW}: past the limit,
 * further attempts are refused (without checking the password) until the oldest failure leaves the window. A user
 * limit stops guessing one account's password from many addresses; an address limit stops one client from trying
 * many accounts. A success clears the user's count. Memory is bounded: a key holds at most its limit of instants,
 * and keys with nothing in the window are dropped.
 */
final class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(15);

    private final Clock clock;
    private volatile int perUser;
    private volatile int perAddress;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    LoginThrottle(int perUser, int perAddress, Clock clock) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.clock = clock;
    }

    void limits(int perUser, int perAddress) {
        this.perUser = perUser;
        this.perAddress = perAddress;
    }

    /** How long {@code user} at {@code address} must wait before the next attempt; empty: go ahead. */
    synchronized Optional<Duration> wait(String user, String address) {
        Instant now = clock.instant();
        Optional<Duration> u = waitFor("user " + user, perUser, now);
        Optional<Duration> a = waitFor("address " + address, perAddress, now);
        if (u.isPresent() && a.isPresent()) {
            return Optional.of(u.get().compareTo(a.get()) > 0 ? u.get() : a.get());
        }
        return u.isPresent() ? u : a;
    }

    synchronized void failed(String user, String address) {
        Instant now = clock.instant();
        record("user " + user, perUser, now);
        record("address " + address, perAddress, now);
    }

    synchronized void succeeded(String user) {
        failures.remove("user " + user);
    }

    private Optional<Duration> waitFor(String key, int limit, Instant now) {
        Deque<Instant> d = failures.get(key);
        if (d == null) {
            return Optional.empty();
        }
        prune(key, d, now);
        if (d.size() < limit) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, d.peekFirst().plus(WINDOW)));
    }

    private void record(String key, int limit, Instant now) {
        Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        d.addLast(now);
        while (d.size() > limit) {
            d.removeFirst();
        }
    }

    private void prune(String key, Deque<Instant> d, Instant now) {
        while (!d.isEmpty() && !d.peekFirst().plus(WINDOW).isAfter(now)) {
            d.removeFirst();
        }
        if (d.isEmpty()) {
            failures.remove(key);
        }
    }
}
