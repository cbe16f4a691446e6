package io.oqto.eavs.internal;

import io.oqto.api.eavs.EavsException;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.runner.ErrorCode;
import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.Home;
import io.oqto.api.unix.UnixAccounts;
import io.oqto.api.unix.UserPorts;
import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.RunnerOperation;
import io.oqto.runner.spi.eavs.EavsAccess;
import io.oqto.runner.spi.eavs.EavsAccessException;
import io.oqto.runner.spi.eavs.EavsAccessException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's side of eavs (protocol 1.4): {@code set_eavs_key} stores the key the control plane issued for this
 * user, {@code get_eavs_key} says which one is held (by hash), and the agent sessions get pi's models.json from
 * eavs's {@code /providers/detail} with that key. In single-user mode, with {@code [eavs] master_key} readable, a
 * runner without a key issues its own, owned by its user. Holds no thread or socket between calls.
 */
@Component(
        service = {RunnerOperation.class, EavsAccess.class},
        configurationPid = {"oqto.eavs", "oqto.server", "oqto.routing", "oqto.usermgr"},
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RunnerEavs implements RunnerOperation, EavsAccess {

    private static final Logger LOG = LoggerFactory.getLogger(RunnerEavs.class);
    static final Set<String> TYPES = Set.of("set_eavs_key", "get_eavs_key");

    private final KeyFile keyFile;
    private final boolean multiUser;
    private final String user;
    private volatile @Nullable EavsHttp http;
    private volatile @Nullable EavsAdminClient selfIssuer;
    /** What models.json was last written from (eavs's details and the key's hash), to skip unchanged rewrites. */
    private volatile @Nullable String written;

    @Activate
    public RunnerEavs(EavsConfig config, UserPlaces places, BundleContext context) {
        this(
                config,
                places,
                new KeyFile(Home.config().resolve("oqto").resolve("eavs.key")),
                DeploymentMode.of(context).isMultiUser(),
                System.getProperty("user.name"));
    }

    RunnerEavs(EavsConfig config, UserPlaces places, KeyFile keyFile, boolean multiUser, String user) {
        this.keyFile = keyFile;
        this.multiUser = multiUser;
        this.user = user;
        modified(config, places);
    }

    @Modified
    void modified(EavsConfig config, UserPlaces places) {
        String pattern = EavsAdminComponent.stripSlash(config.baseUrl());
        // Per-user mode: this user's own eavs, on the port its uid gives (the control plane finds it the same way).
        String url = config.mode().equals("per-user") && !pattern.isEmpty()
                ? new UserPorts("[eavs] user_port_base", config.userPortBase(), places.uidMin())
                        .url(pattern, UnixAccounts.currentUid())
                : pattern;
        EavsHttp h = url.isEmpty() ? null : new EavsHttp(url, Duration.ofMillis(config.requestTimeoutMs()));
        http = h;
        String masterKey = config.masterKey();
        // Multi-user runners never issue keys: the control plane does, and the master key is not theirs to read.
        selfIssuer = h == null || multiUser || masterKey.isEmpty()
                ? null
                : new EavsAdminClient(
                        h,
                        () -> SecretReference.resolve("[eavs] master_key", masterKey, System.getenv()),
                        new KeyDefaults(config.budgetUsd(), config.budgetWindow(), config.rpmLimit()));
        written = null;
    }

    @Override
    public Set<String> types() {
        return TYPES;
    }

    @Override
    public Frame handle(Frame r) throws ProtocolException {
        return switch (r.type()) {
            case "set_eavs_key" -> {
                String key = r.string("key");
                if (key == null || !EavsAdminClient.KEY.matcher(key).matches()) {
                    throw new ProtocolException(
                            ErrorCode.INVALID_REQUEST,
                            "\"key\" must be an eavs key: eavs- and 32 base62 characters",
                            null);
                }
                try {
                    keyFile.write(key);
                } catch (IOException e) {
                    throw new ProtocolException(
                            ErrorCode.IO_ERROR, "cannot write " + keyFile.path() + ": " + e.getMessage(), null);
                }
                written = null; // the next session writes models.json with the new key
                LOG.info("eavs key {} stored in {}", KeyFile.hash(key).substring(0, 12), keyFile.path());
                yield Frame.of(r.id(), "eavs_key").with("key_hash", KeyFile.hash(key));
            }
            case "get_eavs_key" -> {
                Optional<String> key;
                try {
                    key = keyFile.read();
                } catch (IOException e) {
                    throw new ProtocolException(
                            ErrorCode.IO_ERROR, "cannot read " + keyFile.path() + ": " + e.getMessage(), null);
                }
                yield Frame.of(r.id(), "eavs_key")
                        .with("key_hash", key.map(KeyFile::hash).orElse(null));
            }
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "not an eavs request: " + r.type(), null);
        };
    }

    @Override
    public boolean enabled() {
        return http != null;
    }

    @Override
    public void checkChoice(@Nullable String provider, @Nullable String model) throws EavsAccessException {
        if (provider == null && model == null) {
            return;
        }
        List<Map<String, Object>> details;
        try {
            details = details(http());
        } catch (EavsAccessException e) {
            return; // the start says why, at its eavs stage
        }
        Map<String, Object> providers = providersOf(EavsPiModels.of(details, "", ""));
        if (provider != null && !providers.containsKey(provider)) {
            throw new EavsAccessException(
                    Reason.UNKNOWN_CHOICE,
                    "provider " + provider + " is not one eavs offers ("
                            + String.join(", ", new TreeSet<>(providers.keySet())) + ")");
        }
        if (model != null) {
            Set<String> models = new TreeSet<>();
            providers.forEach((name, p) -> {
                if (provider == null || provider.equals(name)) {
                    models.addAll(modelIds(p));
                }
            });
            if (!models.contains(model)) {
                throw new EavsAccessException(
                        Reason.UNKNOWN_CHOICE,
                        "model " + model + " is not one eavs offers" + (provider == null ? "" : " through " + provider)
                                + " (" + String.join(", ", models) + ")");
            }
        }
    }

    @Override
    public List<String> writePiModels(Path agentDir) throws EavsAccessException {
        EavsHttp h = http();
        String key = key(h);
        List<Map<String, Object>> details = details(h);
        Map<String, Object> content = EavsPiModels.of(details, h.baseUrl(), key);
        String fingerprint =
                KeyFile.hash(key) + new String(EavsHttp.write(content), java.nio.charset.StandardCharsets.UTF_8);
        Path target = agentDir.resolve("models.json");
        if (!fingerprint.equals(written) || !Files.exists(target)) {
            try {
                EavsPiModels.write(agentDir, content);
            } catch (IOException e) {
                throw new EavsAccessException(Reason.IO, "cannot write " + target + ": " + e.getMessage());
            }
            written = fingerprint;
        }
        return new ArrayList<>(providersOf(content).keySet());
    }

    private EavsHttp http() throws EavsAccessException {
        EavsHttp h = http;
        if (h == null) {
            throw new EavsAccessException(Reason.UNREACHABLE, "eavs is not configured ([eavs] base_url)");
        }
        return h;
    }

    /** The held key; in single-user mode with a master key, one issued now when none is held. */
    private String key(EavsHttp h) throws EavsAccessException {
        try {
            Optional<String> held = keyFile.read();
            if (held.isPresent()) {
                return held.get();
            }
            EavsAdminClient issuer = selfIssuer;
            if (issuer == null) {
                throw new EavsAccessException(
                        Reason.NO_KEY,
                        multiUser
                                ? "this user has no eavs key (" + keyFile.path()
                                        + "): provisioning gives one (oqtoctl user create, or user-enable after a disable)"
                                : "no eavs key in " + keyFile.path()
                                        + ": set [eavs] master_key so oqto can issue one for " + user);
            }
            IssuedKey issued = issuer.issueKey(user);
            keyFile.write(issued.secret());
            LOG.info("issued eavs key {} for {} at {}", issued.keyId(), user, h.baseUrl());
            return issued.secret();
        } catch (IOException e) {
            throw new EavsAccessException(Reason.IO, "cannot use " + keyFile.path() + ": " + e.getMessage());
        } catch (EavsException e) {
            throw new EavsAccessException(Reason.UNREACHABLE, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> details(EavsHttp h) throws EavsAccessException {
        Object body;
        try {
            body = h.call("GET", "/providers/detail", null, null);
        } catch (EavsException e) {
            throw new EavsAccessException(Reason.UNREACHABLE, e.getMessage());
        }
        if (!(body instanceof List<?> list) || !list.stream().allMatch(Map.class::isInstance)) {
            throw new EavsAccessException(
                    Reason.UNREACHABLE, "eavs at " + h.baseUrl() + " answered /providers/detail with no provider list");
        }
        return (List<Map<String, Object>>) list;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> providersOf(Map<String, Object> modelsJson) {
        return (Map<String, Object>) modelsJson.getOrDefault("providers", Map.of());
    }

    private static List<String> modelIds(Object provider) {
        List<String> ids = new ArrayList<>();
        if (provider instanceof Map<?, ?> p && p.get("models") instanceof List<?> models) {
            for (Object m : models) {
                if (m instanceof Map<?, ?> mm) {
                    ids.add(String.valueOf(mm.get("id")));
                }
            }
        }
        return ids;
    }
}
