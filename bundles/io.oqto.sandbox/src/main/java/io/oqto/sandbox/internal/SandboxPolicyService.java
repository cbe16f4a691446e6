package io.oqto.sandbox.internal;

import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.Home;
import io.oqto.runner.spi.sandbox.SandboxService;
import io.oqto.runner.spi.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox policy of this runner. It reads {@code /etc/oqto/sandbox.toml} (root-owned); in single-user
 * mode, without that file, {@code ~/.config/oqto/sandbox.toml}; in multi-user mode the file is required.
 * Any problem — missing required policy, invalid file, bwrap not installed while sandboxing is on — makes
 * every {@link #command} fail closed with the reason, rather than running anything unsandboxed.
 */
@Component(service = SandboxService.class)
public final class SandboxPolicyService implements SandboxService {

    static final Path SYSTEM_POLICY = Path.of("/etc/oqto/sandbox.toml");
    private static final Logger LOG = LoggerFactory.getLogger(SandboxPolicyService.class);

    /** Null exactly when {@link #failure} says why. */
    private final @Nullable SandboxSettings settings;

    private final @Nullable String failure;
    private final String bwrap;
    private final BwrapArguments arguments;
    private final Optional<Path> setpriv = findOnPath("setpriv");

    @Activate
    public SandboxPolicyService(BundleContext context) {
        this(
                policyFiles(!DeploymentMode.of(context).isMultiUser()),
                !DeploymentMode.of(context).isMultiUser(),
                findOnPath("bwrap"),
                Home.current());
    }

    SandboxPolicyService(List<Path> candidates, boolean singleUser, Optional<Path> bwrapBinary, Path home) {
        this.arguments = BwrapArguments.forHome(home);
        SandboxSettings loaded = null;
        String problem = null;
        Optional<Path> file = candidates.stream().filter(Files::isRegularFile).findFirst();
        if (file.isEmpty()) {
            if (singleUser) {
                loaded = SandboxSettings.DISABLED;
            } else {
                problem = "sandbox policy " + SYSTEM_POLICY + " is required in multi-user mode and missing";
            }
        } else {
            try {
                loaded = SandboxFileParser.parse(file.get().toString(), Files.readString(file.get()));
            } catch (SandboxFileParser.SandboxFileException e) {
                problem = "invalid sandbox policy: " + e.getMessage();
            } catch (IOException e) {
                problem = "cannot read sandbox policy " + file.get() + ": " + e.getMessage();
            }
        }
        if (problem == null && loaded != null && loaded.enabled() && bwrapBinary.isEmpty()) {
            problem = "the sandbox policy requires bubblewrap, and bwrap is not installed";
        }
        this.settings = loaded;
        this.failure = problem;
        this.bwrap = bwrapBinary.map(Path::toString).orElse("bwrap");
        if (failure != null) {
            LOG.error("sandboxed spawning disabled (fails closed): {}", failure);
        } else {
            LOG.info("sandbox policy: {}", describe());
        }
    }

    static List<Path> policyFiles(boolean singleUser) {
        if (!singleUser) {
            return List.of(SYSTEM_POLICY);
        }
        Path config = Home.config();
        return List.of(SYSTEM_POLICY, config.resolve("oqto").resolve("sandbox.toml"));
    }

    static Optional<Path> findOnPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        return Stream.of(path.split(":"))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Override
    public List<String> command(
            Path workspace, List<String> argv, List<Path> readOnly, List<Path> writable, @Nullable String profile) {
        SandboxSettings settings = this.settings;
        if (failure != null || settings == null) {
            throw new SandboxUnavailableException(String.valueOf(failure));
        }
        SandboxSettings effective = settings;
        Path local = workspace.resolve(".oqto").resolve("sandbox.toml");
        if (Files.isRegularFile(local)) {
            try {
                effective = settings.tightenedBy(SandboxFileParser.parse(local.toString(), Files.readString(local)));
            } catch (SandboxFileParser.SandboxFileException | IOException e) {
                // A broken workspace policy must not silently fall back to a looser one.
                throw new SandboxUnavailableException("invalid workspace sandbox policy: " + e.getMessage());
            }
            if (effective.enabled()
                    && bwrap.equals("bwrap")
                    && findOnPath("bwrap").isEmpty()) {
                throw new SandboxUnavailableException(
                        "the sandbox policy requires bubblewrap, and bwrap is not installed");
            }
        }
        if (profile != null) {
            Profile asked = BuiltinProfiles.named(profile)
                    .orElseThrow(() -> new IllegalArgumentException("unknown sandbox profile \"" + profile
                            + "\" (built-in: " + new TreeSet<>(BuiltinProfiles.ALL.keySet()) + ")"));
            effective = effective.tightenedBy(new SandboxSettings(true, profile, asked));
            if (bwrap.equals("bwrap")) {
                throw new SandboxUnavailableException(
                        "profile " + profile + " requires bubblewrap, and bwrap is not installed");
            }
        }
        if (!effective.enabled()) {
            return supervised(argv);
        }
        Profile mounted = effective.profile().withBinds(absolute(readOnly), absolute(writable));
        return arguments.build(bwrap, mounted, workspace, argv);
    }

    @Override
    public List<String> supervised(List<String> argv) {
        if (!bwrap.equals("bwrap")) {
            return BwrapArguments.supervised(bwrap, argv);
        }
        // Without bubblewrap: the program at least dies with the thread that started it.
        return setpriv.map(s -> Stream.concat(Stream.of(s.toString(), "--pdeathsig", "KILL", "--"), argv.stream())
                        .toList())
                .orElse(List.copyOf(argv));
    }

    private static List<String> absolute(List<Path> paths) {
        for (Path p : paths) {
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException("extra bind must be absolute: " + p);
            }
        }
        return paths.stream().map(Path::toString).toList();
    }

    @Override
    public String describe() {
        SandboxSettings settings = this.settings;
        if (failure != null || settings == null) {
            return "unavailable: " + failure;
        }
        return settings.enabled() ? "bubblewrap, profile " + settings.profileName() : "disabled";
    }
}
