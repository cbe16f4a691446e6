package io.oqto.auth.internal;

import io.oqto.api.auth.Caller;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.Role;
import io.oqto.api.auth.TokenService;
import io.oqto.api.unix.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokens look like {@code oqto_<12 hex id>_<43 base64url chars>}. The file (mode 0600) holds the SHA-256
 * of each full token, never the token; a leaked file does not grant access. Lookups are by id, then a
 * constant-time hash comparison.
 */
final class TokenStore implements TokenService {

    static final Pattern TOKEN = Pattern.compile("oqto_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Map<String, StoredToken> tokens = new LinkedHashMap<>();

    TokenStore(Path file) throws IOException {
        this.file = file;
        for (StoredToken t : PrivateFiles.readEntries(file, "token", StoredToken::parse)) {
            tokens.put(t.id(), t);
        }
    }

    @Override
    public synchronized Optional<Caller> authenticate(String bearerToken) {
        if (bearerToken == null) {
            return Optional.empty();
        }
        Matcher m = TOKEN.matcher(bearerToken);
        if (!m.matches()) {
            return Optional.empty();
        }
        StoredToken t = tokens.get(m.group(1));
        if (t == null
                || !MessageDigest.isEqual(
                        t.sha256().getBytes(StandardCharsets.US_ASCII),
                        sha256(bearerToken).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(new Caller(t.user(), t.role(), t.id()));
    }

    @Override
    public synchronized IssuedToken issue(String user, Role role) {
        byte[] idBytes = new byte[6];
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secretBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String token =
                "oqto_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        tokens.put(
                id, new StoredToken(id, role, user, sha256(token), Instant.now().getEpochSecond()));
        try {
            save();
        } catch (IOException e) {
            tokens.remove(id);
            throw new UncheckedIOException("cannot store token in " + file, e);
        }
        return new IssuedToken(id, user, role, token);
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

    private void save() throws IOException {
        PrivateFiles.replace(
                file, tokens.values().stream().map(StoredToken::toLine).toList());
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
