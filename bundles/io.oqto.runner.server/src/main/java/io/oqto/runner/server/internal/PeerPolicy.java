package io.oqto.runner.server.internal;

import java.util.Set;

/**
 * Which peer uids the runner serves: its own, root, and the configured control-plane user. Checked on
 * every connection from SO_PEERCRED, so a socket made reachable by mistake still refuses strangers.
 */
record PeerPolicy(Set<Integer> allowedUids) {

    static PeerPolicy of(int ownUid, Integer controlPlaneUid) {
        return new PeerPolicy(controlPlaneUid == null ? Set.of(ownUid, 0) : Set.of(ownUid, 0, controlPlaneUid));
    }

    boolean allows(int uid) {
        return allowedUids.contains(uid);
    }
}
