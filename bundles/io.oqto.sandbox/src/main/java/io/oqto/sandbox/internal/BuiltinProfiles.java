package io.oqto.sandbox.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The three built-in profiles (docs/sandbox.md), close to the original Oqto's but without its audit
 * modes. All deny reading the user's credentials; they differ in what may be written and isolated.
 */
final class BuiltinProfiles {

    private static final List<String> SECRETS = List.of("~/.ssh", "~/.gnupg", "~/.aws");

    static final Map<String, Profile> ALL = Map.of(
            "minimal", new Profile(SECRETS, List.of("~", "/tmp"), List.of(), false, false, false, List.of(), List.of()),
            "development",
                    new Profile(
                            SECRETS,
                            List.of(
                                    "~/.cargo",
                                    "~/.rustup",
                                    "~/.npm",
                                    "~/.bun",
                                    "~/.local/bin",
                                    "~/.cache",
                                    "~/.pi",
                                    "~/.config/oqto",
                                    "/tmp"),
                            List.of("~/.config/oqto/sandbox.toml"),
                            false,
                            true,
                            false,
                            List.of(),
                            List.of()),
            "strict",
                    new Profile(
                            concat(SECRETS, List.of("~/.config")),
                            List.of("~/.pi", "/tmp"),
                            List.of(),
                            true,
                            true,
                            true,
                            List.of(),
                            List.of()));

    private BuiltinProfiles() {}

    static Optional<Profile> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
