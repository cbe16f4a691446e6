package io.oqto.provisioning.internal;

import io.oqto.api.eavs.AdminUsage;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.EavsStatus;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.eavs.UserUsage;
import io.oqto.api.eavs.VirtualKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * eavs's key store as provisioning sees it, in memory: keys by owner, revocation, and an eavs that is down. (The
 * admin client's wire is tested against the eavs double in io.oqto.eavs.)
 */
final class InMemoryEavs implements EavsAdmin {

    static final String URL = "http://127.0.0.1:3033";
    final List<VirtualKey> keys = new ArrayList<>();
    boolean configured = true;
    boolean down;
    boolean perUser;
    final java.util.Map<String, String> masterKeys = new java.util.TreeMap<>();
    private int next;

    @Override
    public boolean configured() {
        return configured;
    }

    @Override
    public String baseUrl() {
        return URL;
    }

    private void reachable(String what) {
        if (down) {
            throw new EavsException(
                    EavsException.Kind.UNREACHABLE,
                    "eavs at " + URL + " did not answer " + what + ": connection refused",
                    0,
                    null,
                    null);
        }
    }

    @Override
    public synchronized IssuedKey issueKey(String owner) {
        reachable("POST /admin/keys");
        String secret = "eavs-" + String.format("%032d", ++next);
        String id = "key-" + next;
        keys.add(new VirtualKey(
                id, hash(secret), "oqto-user-" + owner, owner, false, "2026-12-0" + next, 5.0, "monthly", 60L, 0, 0));
        return new IssuedKey(id, hash(secret), secret);
    }

    @Override
    public synchronized List<VirtualKey> keys(String owner) {
        reachable("GET /admin/keys");
        return keys.stream().filter(k -> owner.equals(k.owner())).toList();
    }

    @Override
    public Mode mode() {
        return perUser ? Mode.PER_USER : Mode.CENTRAL;
    }

    @Override
    public synchronized io.oqto.api.eavs.UserEavs userEavs(String owner, int uid) {
        masterKeys.putIfAbsent(owner, "master-of-" + owner);
        return new io.oqto.api.eavs.UserEavs(41000 + uid - 2000, masterKeys.get(owner));
    }

    @Override
    public synchronized void forgetUser(String owner) {
        masterKeys.remove(owner);
    }

    @Override
    public synchronized void revokeKey(String owner, String keyId) {
        reachable("DELETE /admin/keys/" + keyId);
        keys.replaceAll(k -> k.keyId().equals(keyId)
                ? new VirtualKey(
                        k.keyId(),
                        k.keyHash(),
                        k.name(),
                        k.owner(),
                        true,
                        k.createdAt(),
                        k.budgetUsd(),
                        k.budgetWindow(),
                        k.rpmLimit(),
                        k.requests(),
                        k.spendUsd())
                : k);
    }

    @Override
    public synchronized int revokeKeys(String owner) {
        List<String> enabled = new ArrayList<>();
        keys(owner).stream().filter(k -> !k.disabled()).forEach(k -> enabled.add(k.keyId()));
        enabled.forEach(id -> revokeKey(owner, id));
        return enabled.size();
    }

    List<String> enabledIds(String owner) {
        return keys.stream()
                .filter(k -> owner.equals(k.owner()) && !k.disabled())
                .map(VirtualKey::keyId)
                .toList();
    }

    @Override
    public UserUsage usage(String owner, int days) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AdminUsage usageByOwner(int days) {
        throw new UnsupportedOperationException();
    }

    @Override
    public EavsStatus status() {
        throw new UnsupportedOperationException();
    }

    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
