package io.oqto.auth.internal;

import io.oqto.api.auth.BrowserSession;
import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Role;
import io.oqto.api.unix.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Browser sessions: a cookie value {@code oqs_<12 hex id>_<43 base64url chars>} per sign-in, of which only the SHA-256
 * is kept, in a 0600 file (a line {@code <id> <role> <user> <sha256> <expires-epoch-seconds>} each), so sessions
 * outlive a restart of the control plane and a leaked file signs nobody in. A session ends when it expires
 * ({@code [auth] session_hours} after sign-in, not extended by use), at sign-out, or when its user is disabled. The
 * CSRF token is derived from the cookie (SHA-256 of a label and the cookie), so it needs no storage and only a holder
 * of the cookie can know it. Login codes (single-user mode's link) are kept in memory only, by hash, once each.
 */
final class SessionStore implements BrowserSessions {

    static final Pattern COOKIE_VALUE = Pattern.compile("oqs_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
    private static final Pattern CODE = Pattern.compile("olc_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Stored(String id, Role role, String user, String sha256, long expires) {
        String toLine() {
            return id + " " + role.wireName() + " " + user + " " + sha256 + " " + expires;
        }

        static Stored parse(String line) {
            String[] f = line.trim().split(" ", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException("expected 5 fields, got " + f.length);
            }
            return new Stored(
                    f[0],
                    Role.parse(f[1]).orElseThrow(() -> new IllegalArgumentException("unknown role " + f[1])),
                    f[2],
                    f[3],
                    Long.parseLong(f[4]));
        }
    }

    private record Code(String user, Role role, long expires) {}

    private final Path file;
    private final Duration lifetime;
    private final Clock clock;
    private final Map<String, Stored> sessions = new LinkedHashMap<>();
    private final Map<String, Code> codes = new HashMap<>();

    SessionStore(Path file, Duration lifetime, Clock clock) throws IOException {
        this.file = file;
        this.lifetime = lifetime;
        this.clock = clock;
        for (Stored s : PrivateFiles.readEntries(file, "session", Stored::parse)) {
            sessions.put(s.id(), s);
        }
    }

    @Override
    public synchronized BrowserSession start(String user, Role role) {
        pruneExpired();
        byte[] idBytes = new byte[6];
        RANDOM.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String cookie = "oqs_" + id + "_" + random43();
        long expires = clock.instant().plus(lifetime).getEpochSecond();
        sessions.put(id, new Stored(id, role, user, TokenStore.sha256(cookie), expires));
        try {
            save();
        } catch (IOException e) {
            sessions.remove(id);
            throw new UncheckedIOException("cannot store the session in " + file, e);
        }
        return session(sessions.get(id), cookie);
    }

    @Override
    public synchronized Optional<BrowserSession> find(String cookie) {
        Matcher m = COOKIE_VALUE.matcher(cookie);
        if (!m.matches()) {
            return Optional.empty();
        }
        Stored s = sessions.get(m.group(1));
        if (s == null
                || s.expires() <= clock.instant().getEpochSecond()
                || !MessageDigest.isEqual(
                        s.sha256().getBytes(StandardCharsets.US_ASCII),
                        TokenStore.sha256(cookie).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(session(s, cookie));
    }

    @Override
    public synchronized boolean end(String cookie) {
        Optional<BrowserSession> s = find(cookie);
        if (s.isEmpty()) {
            return false;
        }
        remove(Map.of(s.get().id(), sessions.get(s.get().id())));
        return true;
    }

    @Override
    public synchronized int endAll(String user, @Nullable String keep) {
        String keepId = null;
        if (keep != null) {
            Matcher m = COOKIE_VALUE.matcher(keep);
            keepId = m.matches() ? m.group(1) : null;
        }
        Map<String, Stored> ended = new LinkedHashMap<>();
        for (Stored s : sessions.values()) {
            if (s.user().equals(user) && !s.id().equals(keepId)) {
                ended.put(s.id(), s);
            }
        }
        remove(ended);
        codes.values().removeIf(c -> c.user().equals(user));
        return ended.size();
    }

    @Override
    public synchronized String loginCode(String user, Role role) {
        codes.values().removeIf(c -> c.expires() <= clock.instant().getEpochSecond());
        String code = "olc_" + random43();
        codes.put(
                TokenStore.sha256(code),
                new Code(user, role, clock.instant().plus(lifetime).getEpochSecond()));
        return code;
    }

    @Override
    public synchronized Optional<BrowserSession> redeem(String code) {
        if (!CODE.matcher(code).matches()) {
            return Optional.empty();
        }
        Code c = codes.remove(TokenStore.sha256(code));
        if (c == null || c.expires() <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(start(c.user(), c.role()));
    }

    private void remove(Map<String, Stored> ended) {
        if (ended.isEmpty()) {
            return;
        }
        sessions.keySet().removeAll(ended.keySet());
        try {
            save();
        } catch (IOException e) {
            sessions.putAll(ended);
            throw new UncheckedIOException("cannot store sessions in " + file, e);
        }
    }

    private void pruneExpired() {
        long now = clock.instant().getEpochSecond();
        sessions.values().removeIf(s -> s.expires() <= now);
    }

    private BrowserSession session(Stored s, String cookie) {
        return new BrowserSession(
                s.id(), s.user(), s.role(), cookie, csrfToken(cookie), Instant.ofEpochSecond(s.expires()));
    }

    /** What a page holding this cookie's session sends in {@code X-CSRF-Token}. */
    static String csrfToken(String cookie) {
        return TokenStore.sha256("oqto csrf token\0" + cookie).substring(0, 43);
    }

    private void save() throws IOException {
        PrivateFiles.replace(
                file, sessions.values().stream().map(Stored::toLine).toList());
    }

    private static String random43() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
