package io.oqto.sandbox.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One sandbox profile. Paths may start with {@code ~/} (the user's home). Lists keep their order, which
 * matters for bind mounts (later mounts win).
 */
record Profile(
        List<String> denyRead,
        List<String> allowWrite,
        List<String> denyWrite,
        boolean isolateNetwork,
        boolean isolatePid,
        boolean dropAllCaps,
        List<String> extraRoBind,
        List<String> extraRwBind) {

    Profile {
        denyRead = List.copyOf(denyRead);
        allowWrite = List.copyOf(allowWrite);
        denyWrite = List.copyOf(denyWrite);
        extraRoBind = List.copyOf(extraRoBind);
        extraRwBind = List.copyOf(extraRwBind);
    }

    /**
     * This profile tightened by {@code other}: denies are united, writable places intersected, every
     * isolation switch kept on if either has it. The result is never looser than {@code this}.
     */
    Profile tightenedBy(Profile other) {
        List<String> writes = new ArrayList<>(allowWrite);
        writes.retainAll(other.allowWrite);
        List<String> rw = new ArrayList<>(extraRwBind);
        rw.retainAll(other.extraRwBind);
        return new Profile(
                union(denyRead, other.denyRead),
                writes,
                union(denyWrite, other.denyWrite),
                isolateNetwork || other.isolateNetwork,
                isolatePid || other.isolatePid,
                dropAllCaps || other.dropAllCaps,
                extraRoBind,
                rw);
    }

    /** This profile with more bind mounts (absolute paths): what a program needs besides the policy. */
    Profile withBinds(List<String> readOnly, List<String> writable) {
        List<String> ro = new ArrayList<>(extraRoBind);
        ro.addAll(readOnly);
        List<String> rw = new ArrayList<>(extraRwBind);
        rw.addAll(writable);
        return new Profile(denyRead, allowWrite, denyWrite, isolateNetwork, isolatePid, dropAllCaps, ro, rw);
    }

    Profile withIsolatedNetwork() {
        return new Profile(denyRead, allowWrite, denyWrite, true, isolatePid, dropAllCaps, extraRoBind, extraRwBind);
    }

    private static List<String> union(List<String> a, List<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
