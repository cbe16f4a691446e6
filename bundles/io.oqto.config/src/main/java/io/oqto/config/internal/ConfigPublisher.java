package io.oqto.config.internal;

import io.oqto.api.unix.DeploymentMode;
import io.oqto.api.unix.Home;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes config.toml to Configuration Admin, one PID per section ({@code oqto.runner}, …), and
 * republishes when the file changes. A broken file at start stops the process with exit code 78
 * (EX_CONFIG) rather than running on guessed settings; a broken edit while running is logged and the
 * last good settings stay in force.
 */
@Component(immediate = true)
public final class ConfigPublisher {

    static final String PID_PREFIX = "oqto.";
    static final String PAX_WEB_PID = "org.ops4j.pax.web";
    static final String HTTP_PORT = "org.osgi.service.http.port";
    /** In pax-web's configuration: which PEM files its keystore was made from (TLS set by this publisher). */
    static final String TLS_SOURCE = "oqto.tls.source";
    /** A JVM-wide mark (it must outlive this bundle's class loader) that a good configuration was loaded. */
    static final String LOADED_ONCE = "oqto.config.loadedOnce";
    /** sysexits.h EX_CONFIG. */
    static final int EXIT_CONFIG = 78;

    private static final Logger LOG = LoggerFactory.getLogger(ConfigPublisher.class);

    private final ConfigurationAdmin configAdmin;
    private final TomlConfigLoader loader = new TomlConfigLoader(ConfigSchema.INSTANCE);
    private final Map<String, String> env;
    private final Path file;
    private final ScheduledExecutorService watcher;
    private final ScheduledFuture<?> watching;
    private volatile String lastSeen = "";
    private final boolean publishHttp;
    private final Path tlsDir;

    @Activate
    public ConfigPublisher(@Reference ConfigurationAdmin configAdmin, BundleContext context) {
        this(
                configAdmin,
                System.getenv(),
                ConfigLocation.resolve(
                        System.getenv(),
                        context.getProperty("oqto.config"),
                        DeploymentMode.of(context),
                        Home.current()),
                !"false".equals(context.getProperty("oqto.config.exitOnError")),
                hasPaxWeb(context),
                Path.of(System.getProperty("karaf.data", "data"), "tls"));
    }

    ConfigPublisher(ConfigurationAdmin configAdmin, Map<String, String> env, Path file, boolean exitOnError) {
        this(configAdmin, env, file, exitOnError, true, Path.of(System.getProperty("karaf.data", "data"), "tls"));
    }

    ConfigPublisher(
            ConfigurationAdmin configAdmin,
            Map<String, String> env,
            Path file,
            boolean exitOnError,
            boolean publishHttp) {
        this(
                configAdmin,
                env,
                file,
                exitOnError,
                publishHttp,
                Path.of(System.getProperty("karaf.data", "data"), "tls"));
    }

    /**
     * {@code publishHttp}: copy {@code [server] port/bind} to pax-web. Only where pax-web is installed (the
     * control plane): creating its configuration in the runner, which has no HTTP, served no one and
     * measurably upset pax-logging's start-up there (about one start in fifteen logged nothing). {@code tlsDir}:
     * where the keystore made from {@code [server] tls_cert} and {@code tls_key} goes (the control plane's own).
     */
    ConfigPublisher(
            ConfigurationAdmin configAdmin,
            Map<String, String> env,
            Path file,
            boolean exitOnError,
            boolean publishHttp,
            Path tlsDir) {
        this.configAdmin = configAdmin;
        this.publishHttp = publishHttp;
        this.tlsDir = tlsDir;
        this.env = env;
        this.file = file;
        try {
            lastSeen = fingerprint();
            publish(load());
            System.setProperty(LOADED_ONCE, "true");
            LOG.info("configuration loaded from {}", Files.exists(file) ? file : file + " (absent: defaults)");
        } catch (ConfigError e) {
            LOG.error("invalid configuration, refusing to start: {}", e.getMessage());
            System.err.println("oqto: invalid configuration, refusing to start: " + e.getMessage());
            // Only a process that never had a good configuration exits; re-activating this bundle later
            // (bundle:update) with a broken file leaves the running process and its last settings alone.
            if (exitOnError && System.getProperty(LOADED_ONCE) == null) {
                // A separate thread: exiting from inside the framework's activation thread could deadlock
                // with the shutdown hook that stops the framework.
                new Thread(() -> System.exit(EXIT_CONFIG), "oqto-config-exit").start();
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "oqto-config-watch"));
        watching = watcher.scheduleWithFixedDelay(this::reloadIfChanged, 2, 2, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        watching.cancel(false);
        watcher.shutdownNow();
    }

    /** Re-reads the file if its size or modification time changed. */
    void reloadIfChanged() {
        String now = fingerprint();
        if (now.equals(lastSeen)) {
            return;
        }
        lastSeen = now;
        try {
            publish(load());
            LOG.info("configuration reloaded from {}", file);
        } catch (ConfigError e) {
            LOG.error("invalid configuration edit ignored, previous settings stay in force: {}", e.getMessage());
        }
    }

    private Map<String, Map<String, Object>> load() throws ConfigError {
        Map<String, Map<String, Object>> sections = loader.load(file);
        loader.applyEnvironment(sections, env);
        return sections;
    }

    private void publish(Map<String, Map<String, Object>> sections) throws ConfigError {
        // First what can still fail (the TLS files), so that a bad edit changes nothing.
        Map<String, Object> http = httpSettings(sections.getOrDefault("server", Map.of()));
        for (Map.Entry<String, Map<String, Object>> s : sections.entrySet()) {
            Map<String, KeySpec> specs =
                    ConfigSchema.INSTANCE.section(s.getKey()).orElseThrow();
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("oqto.config.file", file.toString());
            for (Map.Entry<String, Object> kv : s.getValue().entrySet()) {
                Object v = kv.getValue();
                KeySpec spec = specs.get(kv.getKey());
                if (spec == null) { // the loader accepted only the schema's keys
                    throw new ConfigError("[" + s.getKey() + "] " + kv.getKey() + ": not a key of the schema");
                }
                props.put(spec.propertyName(), v instanceof Long l && fitsInt(l) ? (Object) l.intValue() : v);
            }
            try {
                Configuration c = configAdmin.getConfiguration(PID_PREFIX + s.getKey(), "?");
                c.updateIfDifferent(FrameworkUtil.asDictionary(props));
            } catch (IOException e) {
                throw new ConfigError("cannot publish [" + s.getKey() + "] to Configuration Admin: " + e.getMessage());
            }
        }
        try {
            if (http != null) {
                configAdmin.getConfiguration(PAX_WEB_PID, null).updateIfDifferent(FrameworkUtil.asDictionary(http));
            }
        } catch (IOException e) {
            throw new ConfigError("cannot publish [server] port/bind/TLS to pax-web: " + e.getMessage());
        }
    }

    /**
     * {@code [server] port}, {@code bind} and TLS are pax-web's settings; what to copy there (null: nothing) so
     * that operators configure HTTP in config.toml like everything else. Only keys the operator set are touched, and TLS settings this
     * publisher made are undone when tls_cert and tls_key go.
     */
    private @Nullable Map<String, Object> httpSettings(Map<String, Object> server) throws ConfigError {
        if (!publishHttp) {
            return null;
        }
        boolean tls = server.containsKey("tls_cert") || server.containsKey("tls_key");
        Map<String, Object> props = new LinkedHashMap<>();
        Dictionary<String, Object> old;
        try {
            old = configAdmin.getConfiguration(PAX_WEB_PID, null).getProperties();
        } catch (IOException e) {
            throw new ConfigError("cannot read pax-web's configuration: " + e.getMessage());
        }
        if (old != null) {
            for (Enumeration<String> keys = old.keys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                props.put(key, old.get(key));
            }
        }
        boolean tlsWasOurs = props.containsKey(TLS_SOURCE);
        if (!tls && !tlsWasOurs && !server.containsKey("port") && !server.containsKey("bind")) {
            return null;
        }
        if (server.get("port") instanceof Long port) {
            props.put(HTTP_PORT, Long.toString(port));
        }
        if (server.get("bind") instanceof String bind) {
            props.put("org.ops4j.pax.web.listening.addresses", bind);
        }
        if (tls) {
            serveTls(server, props);
        } else if (tlsWasOurs) {
            props.put("org.osgi.service.http.enabled", "true");
            props.put("org.osgi.service.http.secure.enabled", "false");
            props.keySet().removeIf(k -> k.startsWith("org.ops4j.pax.web.ssl.") || k.equals(TLS_SOURCE));
        }
        return props;
    }

    /**
     * HTTPS instead of HTTP on the same port, from a keystore made of the PEM files; made again only when they
     * change, so that other edits of config.toml do not restart Jetty.
     */
    private void serveTls(Map<String, Object> server, Map<String, Object> props) throws ConfigError {
        if (!(server.get("tls_cert") instanceof String cert) || !(server.get("tls_key") instanceof String key)) {
            throw new ConfigError("[server] tls_cert and tls_key: set both (HTTPS), or neither (HTTP)");
        }
        Path keystore = tlsDir.resolve("oqto.p12");
        String source = TlsKeystore.source(Path.of(cert), Path.of(key));
        if (!source.equals(props.get(TLS_SOURCE)) || !Files.isRegularFile(keystore)) {
            TlsKeystore.Written w = TlsKeystore.write(Path.of(cert), Path.of(key), keystore);
            props.put("org.ops4j.pax.web.ssl.keystore", w.keystore().toString());
            props.put("org.ops4j.pax.web.ssl.keystore.type", "PKCS12");
            props.put("org.ops4j.pax.web.ssl.keystore.password", w.password());
            props.put("org.ops4j.pax.web.ssl.key.password", w.password());
            props.put(TLS_SOURCE, source);
        }
        props.put("org.osgi.service.http.enabled", "false");
        props.put("org.osgi.service.http.secure.enabled", "true");
        props.put("org.osgi.service.http.port.secure", String.valueOf(props.getOrDefault(HTTP_PORT, "8080")));
    }

    private static boolean hasPaxWeb(BundleContext context) {
        return Arrays.stream(context.getBundles())
                .anyMatch(
                        b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.ops4j.pax.web"));
    }

    private static boolean fitsInt(long l) {
        return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE;
    }

    private String fingerprint() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + "@" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return "absent";
        }
    }
}
