package io.oqto.process.internal;

import io.oqto.api.runner.ErrorCode;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.process.LaunchException;
import io.oqto.runner.spi.process.LaunchedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A managed process as other bundles see it ({@code io.oqto.api.process}): no table, no protocol, no buffer. */
record LaunchedAdapter(ManagedProcess process) implements LaunchedProcess {

    /** Spawns {@code request} through {@code spawner}; a refusal is a {@link LaunchException} with its code. */
    static LaunchedProcess launch(ProcessSpawner spawner, SpawnRequest request) throws LaunchException {
        try {
            return new LaunchedAdapter(spawner.spawn(request));
        } catch (ProtocolException e) {
            throw new LaunchException(e.code(), e.getMessage());
        } catch (IOException e) {
            throw new LaunchException(ErrorCode.SPAWN_FAILED, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public List<String> command() {
        return process.command();
    }

    @Override
    public void writeLine(String line) throws IOException {
        process.writeStdin((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<Integer> exited() {
        return process.finished().copy();
    }

    @Override
    public void stop(long graceMs) throws InterruptedException {
        process.stop(graceMs);
    }

    @Override
    public List<String> stderrTail(int lines) {
        return process.output().tail(lines);
    }
}
