package io.oqto.runner.server.internal;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which peer uids the runner serves: its own, root, and the configured control-plane user. Checked on
 * every connection from SO_PEERCRED, so a socket made reachable by mistake still refuses strangers.
 */
record PeerPolicy(Set<Integer> allowedUids) {

    static PeerPolicy of(int ownUid, @Nullable Integer controlPlaneUid) {
        Set<Integer> uids = new TreeSet<>(List.of(ownUid, 0));
        if (controlPlaneUid != null) {
            uids.add(controlPlaneUid);
        }
        return new PeerPolicy(Collections.unmodifiableSet(uids));
    }

    boolean allows(int uid) {
        return allowedUids.contains(uid);
    }
}
