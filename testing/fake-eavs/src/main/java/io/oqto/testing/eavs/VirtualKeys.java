package io.oqto.testing.eavs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * eavs's key store, in memory: {@code eavs-} + 32 base62 characters, kept only as the SHA-256 hex
 * {@code key_hash}, with an adjective-noun {@code key_id}; permissions with the configured defaults filled in;
 * usage per request. Lookups by id accept the {@code key_id} first, then the {@code key_hash}.
 */
final class VirtualKeys {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final List<String> ADJECTIVES = List.of("cold", "warm", "quiet", "bright", "brave", "calm");
    private static final List<String> NOUNS = List.of("lamp", "river", "stone", "cloud", "field", "harbor");

    /** One request's cost, as {@code /admin/keys/{id}/usage} lists it. */
    record Usage(
            String timestamp, String model, String provider, long inputTokens, long outputTokens, double costUsd) {}

    /** A key as stored: never the key itself. */
    static final class Key {
        final String keyId;
        final String keyHash;
        final @Nullable String name;
        final String createdAt = Instant.now().toString();
        final @Nullable String expiresAt;
        final ObjectNode permissions;
        final @Nullable String owner;
        final @Nullable String oauthUser;
        final List<Usage> usage = new CopyOnWriteArrayList<>();
        volatile boolean disabled;

        Key(
                String keyId,
                String keyHash,
                @Nullable String name,
                @Nullable String expiresAt,
                ObjectNode permissions,
                @Nullable String owner,
                @Nullable String oauthUser) {
            this.keyId = keyId;
            this.keyHash = keyHash;
            this.name = name;
            this.expiresAt = expiresAt;
            this.permissions = permissions;
            this.owner = owner;
            this.oauthUser = oauthUser;
        }

        double spend() {
            return usage.stream().mapToDouble(Usage::costUsd).sum();
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Key> byHash = new ConcurrentHashMap<>();
    private final int defaultRpm;
    private final double defaultBudgetUsd;

    VirtualKeys(int defaultRpm, double defaultBudgetUsd) {
        this.defaultRpm = defaultRpm;
        this.defaultBudgetUsd = defaultBudgetUsd;
    }

    /** Creates a key from a create request; returns the {@code CreateKeyResponse}, the only place the key shows. */
    synchronized ObjectNode create(ObjectNode request) {
        StringBuilder secret = new StringBuilder("eavs-");
        for (int i = 0; i < 32; i++) {
            secret.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        ObjectNode permissions =
                request.get("permissions") instanceof ObjectNode p ? p.deepCopy() : json.createObjectNode();
        if (!permissions.hasNonNull("rpm_limit")) {
            permissions.put("rpm_limit", defaultRpm);
        }
        if (!permissions.hasNonNull("max_budget_usd")) {
            permissions.put("max_budget_usd", defaultBudgetUsd);
        }
        Key key = new Key(
                newId(),
                hash(secret.toString()),
                text(request, "name"),
                text(request, "expires_at"),
                permissions,
                text(request, "owner"),
                text(request, "oauth_user"));
        byHash.put(key.keyHash, key);
        ObjectNode response = json.createObjectNode().put("key", secret.toString());
        response.put("key_id", key.keyId).put("key_hash", key.keyHash).put("name", key.name);
        response.put("created_at", key.createdAt).put("expires_at", key.expiresAt);
        response.set("permissions", permissions.deepCopy());
        if (key.owner != null) {
            response.put("owner", key.owner);
        }
        response.put("oauth_user", key.oauthUser);
        return response;
    }

    /** By {@code key_id}, then by {@code key_hash}. */
    Optional<Key> find(String idOrHash) {
        return byHash.values().stream()
                .filter(k -> k.keyId.equals(idOrHash))
                .findFirst()
                .or(() -> Optional.ofNullable(byHash.get(idOrHash)));
    }

    /** The key a client presented, by its hash. */
    Optional<Key> bySecret(String secret) {
        return Optional.ofNullable(byHash.get(hash(secret)));
    }

    List<Key> all() {
        return new ArrayList<>(byHash.values());
    }

    /** {@code KeyInfo}. */
    ObjectNode info(Key k) {
        ObjectNode n = json.createObjectNode().put("key_id", k.keyId).put("key_hash", k.keyHash);
        n.put("name", k.name).put("created_at", k.createdAt).put("expires_at", k.expiresAt);
        n.put("disabled", k.disabled);
        n.set("permissions", k.permissions.deepCopy());
        ObjectNode usage = n.putObject("usage");
        usage.put("total_requests", k.usage.size());
        usage.put(
                "total_input_tokens",
                k.usage.stream().mapToLong(Usage::inputTokens).sum());
        usage.put(
                "total_output_tokens",
                k.usage.stream().mapToLong(Usage::outputTokens).sum());
        usage.put("total_spend_usd", k.spend()).put("window_spend_usd", k.spend());
        usage.put("window_start", k.createdAt);
        usage.put(
                "last_request_at",
                k.usage.isEmpty() ? null : k.usage.get(k.usage.size() - 1).timestamp());
        if (k.owner != null) {
            n.put("owner", k.owner);
        }
        n.put("oauth_user", k.oauthUser);
        return n;
    }

    /** The latest 100 {@code UsageRecord}s of a key. */
    ArrayNode usage(Key k) {
        ArrayNode a = json.createArrayNode();
        List<Usage> all = k.usage;
        for (Usage u : all.subList(Math.max(0, all.size() - 100), all.size())) {
            a.addObject()
                    .put("timestamp", u.timestamp())
                    .put("model", u.model())
                    .put("provider", u.provider())
                    .put("input_tokens", u.inputTokens())
                    .put("output_tokens", u.outputTokens())
                    .put("cached_tokens", 0)
                    .put("cache_write_tokens", 0)
                    .put("cost_usd", u.costUsd());
        }
        return a;
    }

    /** {@code OwnerUsage} rows, one per owner ({@code ""} for keys without one), optionally just one owner's. */
    ArrayNode byOwner(@Nullable String onlyOwner, int days) {
        String since =
                java.time.Instant.now().minus(java.time.Duration.ofDays(days)).toString();
        Map<String, long[]> counts = new java.util.TreeMap<>();
        Map<String, Double> costs = new java.util.TreeMap<>();
        for (Key k : byHash.values()) {
            String owner = k.owner == null ? "" : k.owner;
            if (onlyOwner != null && !onlyOwner.equals(owner)) {
                continue;
            }
            long[] c = counts.computeIfAbsent(owner, o -> new long[3]);
            for (Usage u : k.usage) {
                if (java.time.Instant.parse(u.timestamp()).isBefore(java.time.Instant.parse(since))) {
                    continue;
                }
                c[0]++;
                c[1] += u.inputTokens();
                c[2] += u.outputTokens();
                costs.merge(owner, u.costUsd(), Double::sum);
            }
        }
        ArrayNode a = json.createArrayNode();
        counts.forEach((owner, c) -> a.addObject()
                .put("owner", owner)
                .put("requests", c[0])
                .put("input_tokens", c[1])
                .put("output_tokens", c[2])
                .put("cached_tokens", 0)
                .put("cache_write_tokens", 0)
                .put("cost_usd", costs.getOrDefault(owner, 0.0)));
        return a;
    }

    private String newId() {
        for (String adjective : ADJECTIVES) {
            for (String noun : NOUNS) {
                String id = adjective + "-" + noun;
                if (find(id).isEmpty()) {
                    return id;
                }
            }
        }
        return "key-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    private static @Nullable String text(ObjectNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
