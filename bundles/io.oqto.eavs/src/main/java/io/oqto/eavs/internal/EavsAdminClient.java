package io.oqto.eavs.internal;

import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsException.Kind;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.eavs.OwnerUsage;
import io.oqto.api.eavs.UsageRecord;
import io.oqto.api.eavs.UserEavs;
import io.oqto.api.eavs.UserUsage;
import io.oqto.api.eavs.VirtualKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * eavs's admin API (services-spec §2.2, §2.3) in the shapes eavs actually sends — its {@code UsageRecord} has no
 * id or success field, unlike the original's client type. A key belongs to a user by eavs's {@code owner}.
 */
final class EavsAdminClient implements EavsAdmin {

    static final Pattern KEY = Pattern.compile("eavs-[0-9A-Za-z]{32,}");
    /** Usage periods go back at most this far, day by day (one request to eavs per day). */
    static final int MAX_DAYS = 90;

    private final EavsHttp http;
    private final Supplier<String> masterKey;
    private final KeyDefaults defaults;

    /** @param masterKey resolved on each call, so a rotated key file takes effect without a restart */
    EavsAdminClient(EavsHttp http, Supplier<String> masterKey, KeyDefaults defaults) {
        this.http = http;
        this.masterKey = masterKey;
        this.defaults = defaults;
    }

    @Override
    public boolean configured() {
        return true;
    }

    @Override
    public String baseUrl() {
        return http.baseUrl();
    }

    @Override
    public IssuedKey issueKey(String owner) {
        Map<String, Object> permissions = new LinkedHashMap<>();
        permissions.put("max_budget_usd", defaults.budgetUsd());
        permissions.put("budget_window", defaults.budgetWindow());
        permissions.put("rpm_limit", defaults.rpmLimit());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "oqto-user-" + owner);
        body.put("owner", owner);
        body.put("permissions", permissions);
        body.put("metadata", Map.of("created_by", "oqto"));
        Map<?, ?> created = object(admin("POST", "/admin/keys", body), "POST /admin/keys");
        String secret = text(created, "key");
        if (!KEY.matcher(secret).matches()) {
            throw notEavs("POST /admin/keys", "a key that is not eavs- and 32 base62 characters");
        }
        return new IssuedKey(text(created, "key_id"), text(created, "key_hash"), secret);
    }

    @Override
    public List<VirtualKey> keys(String owner) {
        List<VirtualKey> keys = new ArrayList<>();
        for (Object o : list(admin("GET", "/admin/keys", null), "GET /admin/keys")) {
            Map<?, ?> info = object(o, "GET /admin/keys");
            if (owner.equals(info.get("owner"))) {
                keys.add(key(info));
            }
        }
        keys.sort(Comparator.comparing(VirtualKey::createdAt).reversed());
        return keys;
    }

    @Override
    public Mode mode() {
        return Mode.CENTRAL;
    }

    @Override
    public UserEavs userEavs(String owner, int uid) {
        throw new EavsException(
                Kind.NOT_CONFIGURED, "a user's own eavs is for [eavs] mode = \"per-user\"", 0, null, null);
    }

    @Override
    public void forgetUser(String owner) {
        // one eavs for all: nothing of the user's is kept here
    }

    @Override
    public void revokeKey(String owner, String keyId) {
        admin("DELETE", "/admin/keys/" + encode(keyId), null);
    }

    @Override
    public int revokeKeys(String owner) {
        int revoked = 0;
        for (VirtualKey k : keys(owner)) {
            if (!k.disabled()) {
                revokeKey(owner, k.keyId());
                revoked++;
            }
        }
        return revoked;
    }

    @Override
    public UserUsage usage(String owner, int days) {
        checkDays(days);
        List<OwnerUsage> total = byOwner(owner, days);
        List<VirtualKey> keys = keys(owner);
        List<UsageRecord> recent = new ArrayList<>();
        for (VirtualKey k : keys) {
            for (Object o : list(
                    admin("GET", "/admin/keys/" + encode(k.keyId()) + "/usage", null), "GET /admin/keys/{id}/usage")) {
                recent.add(record(object(o, "GET /admin/keys/{id}/usage")));
            }
        }
        recent.sort(Comparator.comparing(UsageRecord::timestamp).reversed());
        OwnerUsage mine = total.stream()
                .filter(u -> u.owner().equals(owner))
                .findFirst()
                .orElse(new OwnerUsage(owner, 0, 0, 0, 0, 0, 0.0));
        return new UserUsage(owner, days, mine, keys, List.copyOf(recent));
    }

    @Override
    public AdminUsage usageByOwner(int days) {
        checkDays(days);
        // eavs sums from now back over N days; the days one by one are the differences of N and N-1.
        List<List<OwnerUsage>> upTo = new ArrayList<>();
        for (int d = 1; d <= days; d++) {
            upTo.add(byOwner(null, d));
        }
        List<AdminUsage.DayUsage> daily = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            List<OwnerUsage> owners = minus(upTo.get(d), d == 0 ? List.of() : upTo.get(d - 1));
            daily.add(new AdminUsage.DayUsage(d, owners));
        }
        List<OwnerUsage> total = new ArrayList<>(upTo.get(days - 1));
        total.sort(Comparator.comparingDouble(OwnerUsage::costUsd).reversed());
        return new AdminUsage(days, List.copyOf(total), List.copyOf(daily));
    }

    @Override
    public EavsStatus status() {
        EavsHttp.Answer health;
        try {
            health = http.exchange("GET", "/health", null, null);
        } catch (EavsException e) {
            return new EavsStatus(baseUrl(), false, e.getMessage(), List.of(), -1, -1);
        }
        if (health.status() != 200) {
            return new EavsStatus(
                    baseUrl(),
                    false,
                    "eavs at " + baseUrl() + " answered /health with " + health.status(),
                    List.of(),
                    -1,
                    -1);
        }
        List<String> providers = new ArrayList<>();
        String problem = null;
        long total = -1;
        long enabled = -1;
        try {
            for (Object p : list(http.call("GET", "/providers", null, null), "GET /providers")) {
                providers.add(String.valueOf(p));
            }
            Map<?, ?> stats = object(admin("GET", "/admin/keys/stats", null), "GET /admin/keys/stats");
            total = number(stats, "total_keys");
            enabled = number(stats, "keys_enabled");
        } catch (EavsException e) {
            problem = e.getMessage();
        }
        return new EavsStatus(baseUrl(), true, problem, List.copyOf(providers), total, enabled);
    }

    private List<OwnerUsage> byOwner(@Nullable String owner, int days) {
        String query = "?days=" + days + (owner == null ? "" : "&owner=" + encode(owner));
        List<OwnerUsage> usage = new ArrayList<>();
        for (Object o : list(admin("GET", "/admin/usage/by-owner" + query, null), "GET /admin/usage/by-owner")) {
            Map<?, ?> m = object(o, "GET /admin/usage/by-owner");
            usage.add(new OwnerUsage(
                    m.get("owner") instanceof String s ? s : "",
                    number(m, "requests"),
                    number(m, "input_tokens"),
                    number(m, "output_tokens"),
                    number(m, "cached_tokens"),
                    number(m, "cache_write_tokens"),
                    decimal(m, "cost_usd")));
        }
        return usage;
    }

    /** Per owner, {@code wider} less {@code narrower}; owners with nothing left out. */
    private static List<OwnerUsage> minus(List<OwnerUsage> wider, List<OwnerUsage> narrower) {
        Map<String, OwnerUsage> before = new LinkedHashMap<>();
        narrower.forEach(u -> before.put(u.owner(), u));
        List<OwnerUsage> out = new ArrayList<>();
        for (OwnerUsage w : wider) {
            OwnerUsage n = before.getOrDefault(w.owner(), new OwnerUsage(w.owner(), 0, 0, 0, 0, 0, 0.0));
            OwnerUsage d = new OwnerUsage(
                    w.owner(),
                    w.requests() - n.requests(),
                    w.inputTokens() - n.inputTokens(),
                    w.outputTokens() - n.outputTokens(),
                    w.cachedTokens() - n.cachedTokens(),
                    w.cacheWriteTokens() - n.cacheWriteTokens(),
                    Math.max(0.0, w.costUsd() - n.costUsd()));
            if (d.requests() > 0 || d.costUsd() > 0) {
                out.add(d);
            }
        }
        return out;
    }

    private @Nullable Object admin(String method, String path, @Nullable Object body) {
        String key;
        try {
            key = masterKey.get();
        } catch (IllegalStateException e) {
            throw new EavsException(Kind.REFUSED, String.valueOf(e.getMessage()), 0, "no_master_key", e);
        }
        return http.call(method, path, key, body);
    }

    private static VirtualKey key(Map<?, ?> info) {
        Map<?, ?> permissions = info.get("permissions") instanceof Map<?, ?> p ? p : Map.of();
        Map<?, ?> usage = info.get("usage") instanceof Map<?, ?> u ? u : Map.of();
        return new VirtualKey(
                text(info, "key_id"),
                text(info, "key_hash"),
                info.get("name") instanceof String s ? s : "",
                info.get("owner") instanceof String s ? s : null,
                Boolean.TRUE.equals(info.get("disabled")),
                info.get("created_at") instanceof String s ? s : "",
                permissions.get("max_budget_usd") instanceof Number n ? n.doubleValue() : null,
                permissions.get("budget_window") instanceof String s ? s : null,
                permissions.get("rpm_limit") instanceof Number n ? n.longValue() : null,
                number(usage, "total_requests"),
                usage.get("window_spend_usd") instanceof Number n
                        ? n.doubleValue()
                        : decimal(usage, "total_spend_usd"));
    }

    private static UsageRecord record(Map<?, ?> m) {
        return new UsageRecord(
                m.get("timestamp") instanceof String s ? s : "",
                m.get("provider") instanceof String s ? s : "",
                m.get("model") instanceof String s ? s : "",
                number(m, "input_tokens"),
                number(m, "output_tokens"),
                number(m, "cached_tokens"),
                number(m, "cache_write_tokens"),
                decimal(m, "cost_usd"));
    }

    private static void checkDays(int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be between 1 and " + MAX_DAYS + ", got " + days);
        }
    }

    private Map<?, ?> object(@Nullable Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw notEavs(what, "not a JSON object");
    }

    private List<?> list(@Nullable Object o, String what) {
        if (o instanceof List<?> l) {
            return l;
        }
        throw notEavs(what, "not a JSON array");
    }

    private EavsException notEavs(String what, String problem) {
        return new EavsException(
                Kind.UNREACHABLE, "eavs at " + baseUrl() + " answered " + what + " with " + problem, 0, null, null);
    }

    private static String text(Map<?, ?> m, String field) {
        if (m.get(field) instanceof String s) {
            return s;
        }
        throw new EavsException(Kind.UNREACHABLE, "eavs's answer has no " + field + ": not eavs?", 0, null, null);
    }

    private static long number(Map<?, ?> m, String field) {
        return m.get(field) instanceof Number n ? n.longValue() : 0;
    }

    private static double decimal(Map<?, ?> m, String field) {
        return m.get(field) instanceof Number n ? n.doubleValue() : 0.0;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
