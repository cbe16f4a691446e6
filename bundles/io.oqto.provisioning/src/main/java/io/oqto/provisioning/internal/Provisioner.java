package io.oqto.provisioning.internal;

import io.oqto.api.audit.AuditEvent;
import io.oqto.api.auth.IssuedToken;
import io.oqto.api.auth.PlatformUserNames;
import io.oqto.api.auth.TokenService;
import io.oqto.api.eavs.IssuedKey;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.users.NewUser;
import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.ProvisionedUser;
import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.ProvisioningException.Kind;
import io.oqto.api.users.UserProvisioning;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provisioning steps, in the seed's order, each through the root helper (the eavs key through eavs and the
 * user's runner); the control plane itself never touches an account or a home. One user is provisioned at a time (different users in parallel).
 * A failed run undoes what it created, newest first, and reports the step that failed.
 */
final class Provisioner implements UserProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,189}\\.[A-Za-z]{2,24}");

    private final Helper helper;
    private final RunnerGateway runners;
    private final EavsKeys eavsKeys;
    private final MmryConfigStep mmry;
    private final TokenService tokens;
    private final UserRecords records;
    private final String prefix;
    private final String shell;
    private final Duration readyTimeout;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    Provisioner(
            Helper helper,
            RunnerGateway runners,
            EavsKeys eavsKeys,
            TokenService tokens,
            UserRecords records,
            String prefix,
            String shell,
            Duration readyTimeout) {
        this(helper, runners, eavsKeys, MmryConfigStep.NONE, tokens, records, prefix, shell, readyTimeout);
    }

    Provisioner(
            Helper helper,
            RunnerGateway runners,
            EavsKeys eavsKeys,
            MmryConfigStep mmry,
            TokenService tokens,
            UserRecords records,
            String prefix,
            String shell,
            Duration readyTimeout) {
        this.mmry = mmry;
        this.helper = helper;
        this.runners = runners;
        this.eavsKeys = eavsKeys;
        this.tokens = tokens;
        this.records = records;
        this.prefix = prefix;
        this.shell = shell;
        this.readyTimeout = readyTimeout;
    }

    /** Where each step's audit line goes; nowhere until {@link #auditTo} says. */
    private volatile Consumer<AuditEvent> audit = e -> {};

    /** Each step from now on writes one audit line to {@code to}. */
    void auditTo(Consumer<AuditEvent> to) {
        audit = to;
    }

    private void audited(String step, String user, String result, String detail) {
        audit.accept(AuditEvent.now("provision " + step, user, result, detail));
    }

    @Override
    public ProvisionedUser create(NewUser request) {
        check(request);
        if ((prefix + request.name()).length() > 32) {
            throw new ProvisioningException(
                    Kind.INVALID,
                    "check",
                    "user name " + request.name() + " is too long: the Linux name " + prefix + request.name()
                            + " would be over 32 characters");
        }
        synchronized (lockOf(request.name())) {
            Optional<PlatformUser> existing = records.find(request.name());
            if (existing.isPresent() && existing.get().state() == PlatformUser.State.DISABLED) {
                throw new ProvisioningException(
                        Kind.CONFLICT,
                        "check",
                        "user " + request.name()
                                + " is disabled; enable it (oqto:user-enable) instead of creating it again");
            }
            return new Run(request, existing).execute();
        }
    }

    /** One provisioning run: what it did, so a failure can undo exactly that. */
    private final class Run {
        private final NewUser request;
        private final Optional<PlatformUser> existing;
        private final List<String> steps = new ArrayList<>();
        private boolean accountCreated;
        private boolean recordCreated;
        private Optional<IssuedKey> keyIssued = Optional.empty();

        Run(NewUser request, Optional<PlatformUser> existing) {
            this.request = request;
            this.existing = existing;
        }

        ProvisionedUser execute() {
            String linux = prefix + request.name();
            String step = "create-user";
            try {
                Map<String, Object> args = new HashMap<>();
                args.put("username", linux);
                args.put("uid", existing.map(u -> (Object) u.uid()).orElse(null));
                args.put("shell", shell);
                args.put("comment", "Oqto platform user " + request.name());
                Map<String, Object> account = helper.call(step, args);
                accountCreated = Boolean.TRUE.equals(account.get("created"));
                done(step);

                step = "record";
                PlatformUser user = existing.orElseGet(() -> new PlatformUser(
                        request.name(),
                        request.email(),
                        request.role(),
                        linux,
                        uidOf(account),
                        PlatformUser.State.ACTIVE,
                        Instant.now()));
                if (existing.isEmpty()) {
                    records.put(user);
                    recordCreated = true;
                }
                done(step);

                step = EavsKeys.CONFIG_STEP;
                if (eavsKeys.perUser()) {
                    eavsKeys.writeConfig(helper, user.name(), user.linuxUser(), user.uid());
                    done(step);
                }
                step = MmryConfigStep.STEP;
                if (mmry.configured()) {
                    mmry.write(helper, user.linuxUser(), user.uid());
                    done(step);
                }
                List<String> notInstalled = startServices(user, this::done);
                step = EavsKeys.STEP;
                if (eavsKeys.configured()) {
                    keyIssued = eavsKeys.ensure(user.name());
                    done(step);
                }
                step = "issue-token";
                IssuedToken token = recordCreated ? tokens.issue(user.name(), user.role()) : null;
                if (token != null) {
                    done(step);
                }
                LOG.info("provisioned {} as {} (uid {}): {}", user.name(), linux, user.uid(), steps);
                return new ProvisionedUser(user, recordCreated, token, List.copyOf(steps), notInstalled);
            } catch (ProvisioningException e) {
                audited(e.step(), request.name(), "failed", String.valueOf(e.getMessage()));
                undo(e);
                throw e;
            } catch (RuntimeException e) {
                ProvisioningException failed = new ProvisioningException(Kind.FAILED, step, e.getMessage(), e);
                audited(step, request.name(), "failed", String.valueOf(e.getMessage()));
                undo(failed);
                throw failed;
            }
        }

        private void done(String step) {
            steps.add(step);
            audited(step, request.name(), "ok", "");
        }

        private void undo(ProvisioningException cause) {
            LOG.warn(
                    "provisioning {} failed at {}: {}; undoing {}",
                    request.name(),
                    cause.step(),
                    cause.getMessage(),
                    steps);
            try {
                if (keyIssued.isPresent()) {
                    eavsKeys.revoke(request.name(), keyIssued.get());
                }
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
                LOG.error("revoking the eavs key issued for {} failed: {}", request.name(), e.getMessage());
            }
            try {
                if (accountCreated) {
                    helper.call("delete-user", Map.of("username", prefix + request.name(), "keep_home", false));
                }
                if (recordCreated) {
                    records.remove(request.name());
                    eavsKeys.forget(request.name());
                }
                audited("undo", request.name(), "ok", "undid " + steps);
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
                LOG.error("undoing the provisioning of {} failed too: {}", request.name(), e.getMessage());
                audited("undo", request.name(), "failed", String.valueOf(e.getMessage()));
            }
        }
    }

    /** Lingering, runtime directory, services, and the runner answering; returns the services not installed. */
    private List<String> startServices(PlatformUser user, Consumer<String> done) {
        Map<String, Object> who = Map.of("username", user.linuxUser());
        helper.call("set-linger", Map.of("username", user.linuxUser(), "enabled", true));
        done.accept("set-linger");
        helper.call("prepare-runtime", who);
        done.accept("prepare-runtime");
        Map<String, Object> started = helper.call("start-services", who);
        done.accept("start-services");
        waitForRunner(user.name());
        done.accept("wait-for-runner");
        Object missing = started.get("not_installed");
        return missing instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private void waitForRunner(String name) {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        RuntimeException last;
        do {
            try {
                runners.ping(name);
                return;
            } catch (RunnerUnavailableException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProvisioningException(Kind.FAILED, "wait-for-runner", "interrupted");
            }
        } while (System.nanoTime() < deadline);
        throw new ProvisioningException(
                Kind.FAILED,
                "wait-for-runner",
                "the runner of " + name + " did not answer within " + readyTimeout.toMillis() + " ms: "
                        + last.getMessage());
    }

    @Override
    public List<PlatformUser> list() {
        return records.list();
    }

    @Override
    public Optional<PlatformUser> find(String name) {
        return records.find(name);
    }

    @Override
    public PlatformUser disable(String name) {
        synchronized (lockOf(name)) {
            PlatformUser u = require(name);
            if (eavsKeys.configured()) {
                eavsKeys.revokeAll(name); // first: an eavs that is down leaves the user as it was
            }
            tokens.revokeAll(name);
            helper.call("stop-services", Map.of("username", u.linuxUser()));
            helper.call("set-linger", Map.of("username", u.linuxUser(), "enabled", false));
            PlatformUser disabled = withState(u, PlatformUser.State.DISABLED);
            records.put(disabled);
            LOG.info("disabled {}: tokens revoked, services stopped", name);
            audited("disable", name, "ok", "tokens revoked, services stopped");
            return disabled;
        }
    }

    @Override
    public PlatformUser enable(String name) {
        synchronized (lockOf(name)) {
            PlatformUser u = require(name);
            try {
                startServices(u, step -> audited(step, name, "ok", ""));
                if (eavsKeys.configured()) {
                    eavsKeys.ensure(name); // its key was revoked on disable: a new one
                }
            } catch (RuntimeException e) {
                // Back to what disabled means: nothing running, no lingering.
                try {
                    helper.call("stop-services", Map.of("username", u.linuxUser()));
                    helper.call("set-linger", Map.of("username", u.linuxUser(), "enabled", false));
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
            PlatformUser enabled = withState(u, PlatformUser.State.ACTIVE);
            records.put(enabled);
            LOG.info("enabled {}: services started, runner answering", name);
            audited("enable", name, "ok", "services started, runner answering");
            return enabled;
        }
    }

    @Override
    public PlatformUser restartServices(String name) {
        synchronized (lockOf(name)) {
            PlatformUser u = require(name);
            if (u.state() != PlatformUser.State.ACTIVE) {
                throw new ProvisioningException(
                        Kind.CONFLICT, "check", name + " is disabled: enable the user to start their services");
            }
            helper.call("stop-services", Map.of("username", u.linuxUser()));
            audited("stop-services", name, "ok", "");
            startServices(u, step -> audited(step, name, "ok", ""));
            LOG.info("restarted {}'s services: runner answering", name);
            return u;
        }
    }

    @Override
    public boolean delete(String name, boolean keepHome) {
        if (!PlatformUserNames.isValid(name)) {
            throw new ProvisioningException(Kind.INVALID, "check", "not a platform user name: " + name);
        }
        synchronized (lockOf(name)) {
            Optional<PlatformUser> u = records.find(name);
            String linux = u.map(PlatformUser::linuxUser).orElse(prefix + name);
            if (eavsKeys.configured()) {
                eavsKeys.revokeAll(name); // first: an eavs that is down leaves the user as it was
            }
            Map<String, Object> done = helper.call("delete-user", Map.of("username", linux, "keep_home", keepHome));
            tokens.forgetUser(name);
            records.remove(name);
            eavsKeys.forget(name);
            boolean existed = u.isPresent() || Boolean.TRUE.equals(done.get("existed"));
            LOG.info("deleted {} ({}{}): {}", name, linux, keepHome ? ", home kept" : "", done.get("warnings"));
            audited(
                    "delete-user",
                    name,
                    "ok",
                    existed ? (keepHome ? "deleted, home kept" : "deleted") : "did not exist");
            return existed;
        }
    }

    private PlatformUser require(String name) {
        return records.find(name)
                .orElseThrow(() -> new ProvisioningException(Kind.NOT_FOUND, "check", "no such user: " + name));
    }

    /** The uid in the helper's answer about an account; without one the answer is not what the helper sends. */
    private static int uidOf(Map<String, Object> account) {
        if (!(account.get("uid") instanceof Number uid)) {
            throw new ProvisioningException(
                    Kind.FAILED, "create-account", "oqto-usermgr answered without a uid: " + account);
        }
        return uid.intValue();
    }

    private static PlatformUser withState(PlatformUser u, PlatformUser.State state) {
        return new PlatformUser(u.name(), u.email(), u.role(), u.linuxUser(), u.uid(), state, u.created());
    }

    private Object lockOf(String name) {
        return locks.computeIfAbsent(name, k -> new Object());
    }

    private static void check(NewUser u) {
        if (!PlatformUserNames.isValid(u.name())) {
            throw new ProvisioningException(
                    Kind.INVALID,
                    "check",
                    "user name " + u.name() + " must be 1-31 characters: a-z first, then a-z, 0-9, _ or -");
        }
        if (u.email() == null || !EMAIL.matcher(u.email()).matches()) {
            throw new ProvisioningException(
                    Kind.INVALID, "check", "email " + u.email() + " is not an address like alice@example.com");
        }
        if (u.role() == null) {
            throw new ProvisioningException(Kind.INVALID, "check", "a role (user or admin) is required");
        }
    }
}
