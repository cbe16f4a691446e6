package io.oqto.provisioning.internal;

import io.oqto.api.audit.AuditLog;
import io.oqto.api.auth.TokenService;
import io.oqto.api.eavs.EavsAdmin;
import io.oqto.api.metrics.Metrics;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.UserPorts;
import io.oqto.api.users.NewUser;
import io.oqto.api.users.PlatformUser;
import io.oqto.api.users.ProvisionedUser;
import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.UserProvisioning;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@link UserProvisioning} service. In single-user mode there is nobody to provision: every call
 * says so. Holds no threads or sockets between calls, so deactivation has nothing to release.
 */
@Component(
        service = UserProvisioning.class,
        configurationPid = {"oqto.server", "oqto.routing", "oqto.usermgr", "oqto.memory"},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ProvisioningComponent implements UserProvisioning {

    /** Null in single-user mode, where every call says provisioning needs multi-user mode. */
    private final @Nullable UserProvisioning delegate;

    /** Optional and dynamic: provisioning goes on (unaudited) while the audit log is updated or missing. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile @Nullable AuditLog audit;

    /** Likewise the metrics: provisioning goes on, unmeasured, without them. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile @Nullable Metrics metrics;

    @Activate
    public ProvisioningComponent(
            ProvisioningConfig config,
            BundleContext context,
            @Reference RunnerGateway runners,
            @Reference EavsAdmin eavs,
            @Reference TokenService tokens)
            throws IOException {
        if (!DeploymentMode.of(context).isMultiUser()) {
            delegate = null;
            return;
        }
        Path stateDir = Path.of(config.stateDir().isEmpty() ? "/var/lib/oqto" : config.stateDir());
        Provisioner provisioner = new Provisioner(
                new UsermgrClient(Path.of(config.socket()), Duration.ofMinutes(2)),
                runners,
                new EavsKeys(eavs, runners, Duration.ofMillis(config.readyTimeoutMs())),
                new MmryConfigStep(
                        config.embeddingsUrl(),
                        config.embeddingsKey(),
                        UserPorts.perUser(config.mmryUrl())
                                ? new UserPorts(
                                        "[memory] mmry_user_port_base", config.mmryUserPortBase(), config.uidMin())
                                : null),
                tokens,
                new UserRecords(stateDir.resolve("users")),
                config.linuxUserPrefix(),
                config.shell(),
                Duration.ofMillis(config.readyTimeoutMs()));
        provisioner.auditTo(e -> {
            AuditLog log = audit;
            if (log != null) {
                log.record(e);
            }
        });
        delegate = provisioner;
    }

    private UserProvisioning delegate() {
        UserProvisioning delegate = this.delegate;
        if (delegate == null) {
            throw new ProvisioningException(
                    ProvisioningException.Kind.UNAVAILABLE,
                    "check",
                    "single-user mode has one user, the one running Oqto; provisioning needs multi-user mode (OQTO_MODE=multi-user)");
        }
        return delegate;
    }

    @Override
    public ProvisionedUser create(NewUser user) {
        UserProvisioning provisioner = delegate();
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            ProvisionedUser created = provisioner.create(user);
            outcome = "ok";
            return created;
        } finally {
            Metrics m = metrics;
            if (m != null) {
                m.provisioning(outcome, System.nanoTime() - start);
            }
        }
    }

    @Override
    public List<PlatformUser> list() {
        return delegate().list();
    }

    @Override
    public Optional<PlatformUser> find(String name) {
        return delegate().find(name);
    }

    @Override
    public PlatformUser disable(String name) {
        return delegate().disable(name);
    }

    @Override
    public PlatformUser enable(String name) {
        return delegate().enable(name);
    }

    @Override
    public PlatformUser restartServices(String name) {
        return delegate().restartServices(name);
    }

    @Override
    public boolean delete(String name, boolean keepHome) {
        return delegate().delete(name, keepHome);
    }
}
