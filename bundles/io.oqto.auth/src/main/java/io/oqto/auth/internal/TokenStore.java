package io.oqto.auth.internal;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenInfo;
import io.oqto.api.auth.TokenService;
import io.oqto.api.unix.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens look like {@code oqto_<12 hex id>_<43 base64url chars>}. The file (mode 0600) holds the SHA-256
 * of each full token, never the token; a leaked file does not grant access. Lookups are by id, then a
 * constant-time hash comparison. A token may have a name and an expiry; its last use is recorded to the minute (the
 * file is not rewritten on every request).
 */
final class TokenStore implements TokenService {

    static final Pattern TOKEN = Pattern.compile("oqto_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
    static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,63}");
    /** How stale a token's last-used time may be: the file is rewritten at most this often per token. */
    static final long LAST_USED_RESOLUTION_SECONDS = 60;

    private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Clock clock;
    /** Changed under this store's lock, and only together with the file. */
    private final Map<String, StoredToken> tokens = new LinkedHashMap<>();
    /**
     * What the file holds, for checking a bearer token without the lock: every request checks one, and under the
     * lock they queued behind each other's SHA-256 (profiled at 64 concurrent clients).
     */
    private volatile Map<String, StoredToken> stored = Map.of();

    TokenStore(Path file) throws IOException {
        this(file, Clock.systemUTC());
    }

    TokenStore(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        for (StoredToken t : PrivateFiles.readEntries(file, "token", StoredToken::parse)) {
            tokens.put(t.id(), t);
        }
        stored = Map.copyOf(tokens);
    }

    @Override
    public Optional<Caller> authenticate(String bearerToken) {
        StoredToken t = find(bearerToken);
        long now = clock.instant().getEpochSecond();
        if (t == null || t.expiredAt(now)) {
            return Optional.empty();
        }
        if (now - t.lastUsed() >= LAST_USED_RESOLUTION_SECONDS) {
            recordUse(t.id(), now);
        }
        return Optional.of(new Caller(t.user(), t.role(), t.id()));
    }

    private synchronized void recordUse(String id, long now) {
        StoredToken current = tokens.get(id);
        if (current == null || now - current.lastUsed() < LAST_USED_RESOLUTION_SECONDS) {
            return; // revoked meanwhile, or another request recorded it
        }
        tokens.put(id, current.usedAt(now));
        try {
            save();
        } catch (IOException e) {
            // The request is still the token's: only its last-used time is not kept this time.
            LOG.warn("cannot record the use of token {} in {}: {}", id, file, e.toString());
        }
    }

    @Override
    public boolean isExpired(String bearerToken) {
        StoredToken t = find(bearerToken);
        return t != null && t.expiredAt(clock.instant().getEpochSecond());
    }

    /** The stored token whose secret {@code bearerToken} is; null for a malformed or unknown one. */
    private @Nullable StoredToken find(@Nullable String bearerToken) {
        if (bearerToken == null) {
            return null;
        }
        Matcher m = TOKEN.matcher(bearerToken);
        if (!m.matches()) {
            return null;
        }
        StoredToken t = stored.get(m.group(1));
        if (t == null
                || !MessageDigest.isEqual(
                        t.sha256().getBytes(StandardCharsets.US_ASCII),
                        sha256(bearerToken).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        return t;
    }

    @Override
    public IssuedToken issue(String user, Role role) {
        return issue(user, role, "", null);
    }

    @Override
    public synchronized IssuedToken issue(String user, Role role, String name, @Nullable Instant expiresAt) {
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a token's name is 1 to 64 letters, digits, spaces, dots, dashes or underscores, not starting"
                            + " with a space");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("the expiry " + expiresAt + " has passed");
        }
        byte[] idBytes = new byte[6];
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secretBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String token =
                "oqto_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        tokens.put(
                id,
                new StoredToken(
                        id,
                        role,
                        user,
                        sha256(token),
                        now.getEpochSecond(),
                        expiresAt == null ? StoredToken.NEVER : expiresAt.getEpochSecond(),
                        StoredToken.NEVER,
                        name));
        try {
            save();
        } catch (IOException e) {
            tokens.remove(id);
            throw new UncheckedIOException("cannot store token in " + file, e);
        }
        return new IssuedToken(id, user, role, token);
    }

    @Override
    public synchronized List<TokenInfo> list(@Nullable String user) {
        return tokens.values().stream()
                .filter(t -> user == null || t.user().equals(user))
                .map(StoredToken::info)
                .toList();
    }

    @Override
    public synchronized Optional<TokenInfo> revoke(String id) {
        StoredToken t = tokens.remove(id);
        if (t == null) {
            return Optional.empty();
        }
        try {
            save();
        } catch (IOException e) {
            tokens.put(id, t);
            throw new UncheckedIOException("cannot store tokens in " + file, e);
        }
        return Optional.of(t.info());
    }

    @Override
    public synchronized int revokeAll(String user) {
        Map<String, StoredToken> removed = new LinkedHashMap<>();
        tokens.values().removeIf(t -> t.user().equals(user) && removed.put(t.id(), t) == null);
        if (removed.isEmpty()) {
            return 0;
        }
        try {
            save();
        } catch (IOException e) {
            tokens.putAll(removed);
            throw new UncheckedIOException("cannot store tokens in " + file, e);
        }
        return removed.size();
    }

    synchronized boolean hasAdmin() {
        return tokens.values().stream().anyMatch(t -> t.role() == Role.ADMIN);
    }

    /** Writes the tokens to the file; once it holds them, requests check against them. */
    private void save() throws IOException {
        PrivateFiles.replace(
                file, tokens.values().stream().map(StoredToken::toLine).toList());
        stored = Map.copyOf(tokens);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
