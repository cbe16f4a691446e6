package io.oqto.testing.eavs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The double reads the config oqto's root helper writes for a user's own eavs. */
class EavsConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatThePerUserModeWrites() throws IOException {
        Path file = Files.writeString(dir.resolve("config.toml"), """
                # Written by oqto-usermgr at provisioning
                [server]
                host = "127.0.0.1"
                port = 41007

                [keys]
                enabled = true
                require_key = true
                master_key = "env:EAVS_MASTER_KEY"
                allow_self_provisioning = false

                [providers.fake]
                type = "openai-compatible"
                base_url = "http://127.0.0.1:5555/v1"
                models = ["fake-model", "other"]
                """);
        EavsConfigFile c = EavsConfigFile.read(file);
        assertEquals(41007, c.port());
        assertEquals("EAVS_MASTER_KEY", c.masterKeyEnv());
        assertEquals(URI.create("http://127.0.0.1:5555"), c.upstream());
        assertEquals(
                List.of("fake:openai-compatible:[fake-model, other]"),
                c.providers().stream()
                        .map(p -> p.name() + ":" + p.type() + ":"
                                + p.models().stream().map(FakeEavs.Model::id).toList())
                        .toList());
    }

    @Test
    void aConfigWithoutAProviderSaysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("config.toml"), "[server]\nport = 41007\n");
        assertEquals(
                file + ": no provider with a base_url",
                assertThrows(IOException.class, () -> EavsConfigFile.read(file)).getMessage());
    }
}
