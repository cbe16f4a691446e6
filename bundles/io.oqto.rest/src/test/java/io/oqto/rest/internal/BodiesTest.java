package io.oqto.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.oqto.api.runner.processes.LimitsSpec;
import io.oqto.api.runner.processes.RestartSpec;
import io.oqto.api.runner.processes.SpawnProcess;
import io.oqto.api.runner.sessions.CreateSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodiesTest {

    private final ObjectMapper mapper =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private final Bodies bodies = new Bodies(mapper);

    @Test
    void aBodyBecomesTheRequestRecord() throws Exception {
        assertEquals(
                new SpawnProcess(
                        "build",
                        List.of("make"),
                        "src",
                        Map.of("CC", "gcc"),
                        true,
                        "minimal",
                        new RestartSpec("on-failure", 3, 500L),
                        new LimitsSpec(256L, null, 50L)),
                spawn(
                        "{\"name\":\"build\",\"argv\":[\"make\"],\"cwd\":\"src\",\"env\":{\"CC\":\"gcc\"},\"sandboxed\":true,"
                                + "\"profile\":\"minimal\",\"restart\":{\"policy\":\"on-failure\",\"max\":3,\"backoff_ms\":500},"
                                + "\"limits\":{\"memory_mb\":256,\"cpu_percent\":50}}"));
        assertEquals(
                new CreateSession(null, null, null, null, null),
                bodies.read(null, CreateSession.class, "creating a session"));
    }

    @Test
    void eachFieldHasExactlyItsJsonType() {
        assertEquals("\"name\" must be a string", refused("{\"name\":5,\"argv\":[\"/bin/true\"]}"));
        assertEquals("\"argv\" must be an array", refused("{\"name\":\"x\",\"argv\":\"/bin/true\"}"));
        assertEquals("\"argv[1]\" must be a string", refused("{\"name\":\"x\",\"argv\":[\"a\",true]}"));
        assertEquals("\"sandboxed\" must be true or false", refused("{\"name\":\"x\",\"sandboxed\":\"false\"}"));
        assertEquals(
                "\"limits.memory_mb\" must be a whole number (and not a huge one)",
                refused("{\"name\":\"x\",\"limits\":{\"memory_mb\":1e999}}"));
        assertEquals(
                "\"limits.memory_mb\" must be a whole number (and not a huge one)",
                refused("{\"name\":\"x\",\"limits\":{\"memory_mb\":1.5}}"));
        assertEquals(
                "\"limits.memory_mb\": Numeric value (99999999999999999999999) out of range of long "
                        + "(-9223372036854775808 - 9223372036854775807)",
                refused("{\"name\":\"x\",\"limits\":{\"memory_mb\":99999999999999999999999}}"));
        assertEquals("\"env.A\" must be a string", refused("{\"name\":\"x\",\"env\":{\"A\":5}}"));
        assertEquals("\"restart\" must be an object", refused("{\"name\":\"x\",\"restart\":\"always\"}"));
    }

    @Test
    void fieldsTheRequestDoesNotTakeAreNamedWithWhatItTakes() {
        assertEquals(
                "a spawn takes only [argv, cwd, env, limits, name, profile, restart, sandboxed]",
                refused("{\"name\":\"x\",\"bogus\":1}"));
        ApiProblem nested = assertThrows(ApiProblem.class, () -> spawn("{\"name\":\"x\",\"limits\":{\"disk_mb\":1}}"));
        assertEquals(400, nested.body().status());
        assertEquals("bad_request", nested.body().code());
        assertEquals(
                "\"limits.disk_mb\" is not a field here; it takes only [cpu_percent, memory_mb, tasks]",
                nested.body().detail());
    }

    private SpawnProcess spawn(String json) throws Exception {
        return bodies.read(
                mapper.readValue(json, new TypeReference<Map<String, Object>>() {}), SpawnProcess.class, "a spawn");
    }

    private String refused(String json) {
        ApiProblem p = assertThrows(ApiProblem.class, () -> spawn(json));
        assertEquals(400, p.body().status());
        assertEquals("bad_request", p.body().code());
        return p.body().detail();
    }
}
