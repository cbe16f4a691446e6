package io.oqto.sandbox.internal;

import java.util.List;

/**
 * A parsed sandbox.toml: whether sandboxing is on, the chosen profile (resolved) and the network mode.
 *
 * @param enabled sandbox processes at all
 * @param profileName the name chosen by {@code profile}
 * @param profile the profile's settings, with {@code [network] mode = "isolated"} folded in
 */
record SandboxSettings(boolean enabled, String profileName, Profile profile) {

    static final SandboxSettings DISABLED = new SandboxSettings(
            false, "none", new Profile(List.of(), List.of(), List.of(), false, false, false, List.of(), List.of()));

    /** These settings tightened by a workspace's: it can switch the sandbox on and narrow it, never the reverse. */
    SandboxSettings tightenedBy(SandboxSettings workspace) {
        boolean on = enabled || workspace.enabled;
        Profile base = enabled ? profile : workspace.profile;
        return new SandboxSettings(on, profileName + "+" + workspace.profileName, base.tightenedBy(workspace.profile));
    }
}
