package io.oqto.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The keys of config.toml are declared once, in {@link ConfigSchema}, and every component's typed configuration
 * agrees with it: each attribute is a key of one of the sections the component is configured from (its DS
 * descriptor's {@code configuration-pid}s), of the same type, and its default passes the schema's own check; and
 * every key of the schema is read by some component, or by a reader outside them named here with why.
 */
class ConfigAgreementTest {

    /** Every component configured from config.toml. */
    static final List<String> COMPONENTS = List.of(
            "io.oqto.agent.internal.AgentSessions",
            "io.oqto.agent.internal.HistoryStoreChoice",
            "io.oqto.hstry.internal.HstryHistoryComponent",
            "io.oqto.memory.internal.MemoryOperation",
            "io.oqto.memory.internal.LedgerStore",
            "io.oqto.mmry.internal.MmryComponent",
            "io.oqto.auth.internal.TokenServiceComponent",
            "io.oqto.auth.internal.PasswordsComponent",
            "io.oqto.auth.internal.BrowserSessionsComponent",
            "io.oqto.rest.internal.RestServer",
            "io.oqto.eavs.internal.EavsAdminComponent",
            "io.oqto.eavs.internal.RunnerEavs",
            "io.oqto.process.internal.ProcessComponent",
            "io.oqto.process.internal.ProgramStarter",
            "io.oqto.provisioning.internal.ProvisioningComponent",
            "io.oqto.routing.internal.RunnerRouter",
            "io.oqto.runner.server.internal.RunnerServer",
            "io.oqto.workspace.internal.WorkspaceFiles",
            "io.oqto.terminal.bridge.internal.TerminalBridge",
            "io.oqto.audit.internal.AuditLogComponent",
            "io.oqto.gate.internal.GateKeeper",
            "io.oqto.metrics.internal.MetricsComponent");

    /** Keys no component reads, and who does. */
    static final Map<String, String> READ_ELSEWHERE = Map.ofEntries(
            Map.entry("usermgr.group", "the root helper oqto-usermgr"),
            Map.entry("usermgr.uid_max", "the root helper oqto-usermgr"),
            Map.entry("usermgr.skeleton", "the root helper oqto-usermgr"),
            Map.entry("usermgr.home_base", "the root helper oqto-usermgr"),
            Map.entry("usermgr.linger_dir", "the root helper oqto-usermgr"),
            Map.entry("usermgr.service_manager", "the root helper oqto-usermgr"),
            Map.entry("usermgr.runner_command", "the root helper oqto-usermgr"),
            Map.entry("usermgr.runner_activation", "the root helper oqto-usermgr"),
            Map.entry("usermgr.runner_starts_at_once", "the root helper oqto-usermgr"),
            Map.entry("usermgr.hstry_command", "the root helper oqto-usermgr"),
            Map.entry("usermgr.eavs_command", "the root helper oqto-usermgr"),
            Map.entry("usermgr.mmry_command", "the root helper oqto-usermgr"),
            Map.entry("usermgr.command_timeout_ms", "the root helper oqto-usermgr"),
            Map.entry("eavs.user_config", "the root helper oqto-usermgr (per-user eavs config)"),
            Map.entry("server.tls_key", "the config publisher (pax-web's keystore)"));

    @Test
    void everyComponentsConfigurationIsKeysOfTheSchemaWithTheirTypesAndValidDefaults() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> read = new TreeSet<>();
        for (String component : COMPONENTS) {
            List<String> sections = sectionsOf(component);
            List<Class<?>> configs = typedConfigurations(Class.forName(component));
            assertTrue(!configs.isEmpty(), component + " has no typed configuration");
            for (Class<?> config : configs) {
                for (Method attribute : config.getDeclaredMethods()) {
                    String key = snake(attribute.getName());
                    String section = sections.stream()
                            .filter(s -> ConfigSchema.INSTANCE
                                    .section(s)
                                    .orElseThrow()
                                    .containsKey(key))
                            .findFirst()
                            .orElse(null);
                    if (section == null) {
                        problems.add(
                                config.getName() + "." + attribute.getName() + ": no key " + key + " in " + sections);
                        continue;
                    }
                    read.add(section + "." + key);
                    KeySpec spec =
                            ConfigSchema.INSTANCE.section(section).orElseThrow().get(key);
                    String problem = check(spec, attribute.getReturnType(), attribute.getDefaultValue());
                    if (problem != null) {
                        problems.add(config.getName() + "." + attribute.getName() + " ([" + section + "] " + key + "): "
                                + problem);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        Set<String> unread = new TreeSet<>();
        for (String section : ConfigSchema.INSTANCE.sectionNames()) {
            for (String key :
                    ConfigSchema.INSTANCE.section(section).orElseThrow().keySet()) {
                String name = section + "." + key;
                if (!read.contains(name) && !READ_ELSEWHERE.containsKey(name)) {
                    unread.add(name);
                }
            }
        }
        assertEquals(Set.of(), unread, "keys of the schema that nothing reads");
        for (String elsewhere : READ_ELSEWHERE.keySet()) {
            assertTrue(
                    !read.contains(elsewhere),
                    elsewhere + " is read by a component after all: take it off READ_ELSEWHERE");
        }
    }

    /** The example file shipped in etc/ names every section and each key it shows is a valid value of the schema. */
    @Test
    void theShippedExampleWithEveryKeyUncommentedIsAValidConfiguration(@TempDir Path dir) throws Exception {
        String example = Files.readString(Path.of("../../etc/config.toml"));
        String uncommented = example.replaceAll("(?m)^# ([a-z_]+ = )", "$1");
        Path file = Files.writeString(dir.resolve("config.toml"), uncommented);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Map<String, Map<String, Object>> sections = TomlConfigLoader.readStrictly(file, Map.of());
        for (String section : ConfigSchema.INSTANCE.sectionNames()) {
            assertTrue(example.contains("\n[" + section + "]"), "etc/config.toml shows [" + section + "]");
            assertTrue(!sections.get(section).isEmpty(), "etc/config.toml shows keys of [" + section + "]");
        }
    }

    @Test
    void aMismatchIsFound() {
        KeySpec port = ConfigSchema.INSTANCE.section("server").orElseThrow().get("port");
        assertEquals("of type String, but the schema says an integer", check(port, String.class, "8080"));
        assertEquals("default 0: must be between 1 and 65535, got 0", check(port, int.class, 0));
        assertNull(check(port, int.class, 8080));
        KeySpec socket = ConfigSchema.INSTANCE.section("runner").orElseThrow().get("socket");
        assertEquals("default relative.sock: must be an absolute path", check(socket, String.class, "relative.sock"));
        assertNull(check(socket, String.class, ""), "an empty default means: not set");
    }

    /** What is wrong with an attribute of {@code type} and {@code dflt} for {@code spec}, or null. */
    static String check(KeySpec spec, Class<?> type, Object dflt) {
        ValueType expected = type == String.class
                ? ValueType.STRING
                : type == String[].class
                        ? ValueType.STRING_LIST
                        : type == int.class || type == long.class
                                ? ValueType.INTEGER
                                : type == boolean.class
                                        ? ValueType.BOOLEAN
                                        : type == double.class ? ValueType.NUMBER : null;
        if (expected != spec.type()) {
            return "of type " + type.getSimpleName() + ", but the schema says "
                    + spec.type().description();
        }
        Object value = dflt instanceof Integer i ? Long.valueOf(i) : dflt;
        if ((value instanceof String s && s.isEmpty()) || (value instanceof String[] a && a.length == 0)) {
            return null;
        }
        String problem = spec.check().apply(value);
        return problem == null
                ? null
                : "default " + (value instanceof String[] a ? String.join(" ", a) : value) + ": " + problem;
    }

    /** The sections a component is configured from: its DS descriptor's {@code configuration-pid}s. */
    private static List<String> sectionsOf(String component) throws Exception {
        try (InputStream in =
                ConfigAgreementTest.class.getClassLoader().getResourceAsStream("OSGI-INF/" + component + ".xml")) {
            assertNotNull(in, "no DS descriptor for " + component);
            Element root = DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(in)
                    .getDocumentElement();
            List<String> sections = new ArrayList<>();
            for (String pid : root.getAttribute("configuration-pid").split("\\s+", -1)) {
                assertTrue(pid.startsWith(ConfigPublisher.PID_PREFIX), component + ": " + pid);
                String section = pid.substring(ConfigPublisher.PID_PREFIX.length());
                assertTrue(ConfigSchema.INSTANCE.section(section).isPresent(), component + ": no section " + section);
                sections.add(section);
            }
            return sections;
        }
    }

    /** The annotation types its activating constructor takes: its typed configuration. */
    private static List<Class<?>> typedConfigurations(Class<?> component) {
        List<Class<?>> configs = new ArrayList<>();
        for (Constructor<?> c : component.getConstructors()) {
            for (Class<?> p : c.getParameterTypes()) {
                if (p.isAnnotation() && !configs.contains(p)) {
                    configs.add(p);
                }
            }
        }
        return configs;
    }

    private static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            b.append(Character.isUpperCase(c) ? "_" + Character.toLowerCase(c) : String.valueOf(c));
        }
        return b.toString();
    }
}
