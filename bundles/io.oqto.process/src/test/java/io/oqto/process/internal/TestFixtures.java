package io.oqto.process.internal;

import io.oqto.runner.protocol.Frame;
import io.oqto.runner.protocol.ProtocolException;
import io.oqto.runner.spi.ConfinedWorkspace;
import io.oqto.runner.spi.WorkspacePaths;
import io.oqto.runner.spi.sandbox.SandboxService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** What the process tests share: a workspace without checks, a sandbox that only wraps, a request helper. */
final class TestFixtures {

    private TestFixtures() {}

    /** The workspace rule of the workspace bundle, at {@code root}. */
    static WorkspacePaths workspaceAt(Path root) {
        try {
            return new ConfinedWorkspace(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code [programs]} section as DS would give it. */
    // A typed configuration as DS gives it: its string lists are arrays, as the annotation declares them.
    @SuppressWarnings({"ArrayRecordComponent", "ImmutableAnnotationChecker"})
    record TestProgramConfig(
            String pi,
            String[] piArgs,
            String fileserver,
            String ttyd,
            String[] ttydShell,
            String searchPath,
            long readyTimeoutMs)
            implements ProgramConfig {

        @Override
        public Class<? extends Annotation> annotationType() {
            return ProgramConfig.class;
        }
    }

    /** The {@code [programs]} defaults, for tests that launch without named programs. */
    static ProgramConfig programDefaults() {
        return new TestProgramConfig("pi", new String[0], "oqto-files", "ttyd", new String[] {"bash", "-i"}, "", 20000);
    }

    /** A sandbox that wraps commands with {@code wrap} (or not at all) and records the mounts asked for. */
    static final class WrappingSandbox implements SandboxService {
        final List<List<Path>> mounts = new ArrayList<>();
        private final UnaryOperator<List<String>> wrap;

        WrappingSandbox(UnaryOperator<List<String>> wrap) {
            this.wrap = wrap;
        }

        static WrappingSandbox none() {
            return new WrappingSandbox(argv -> argv);
        }

        @Override
        public List<String> command(
                Path ws, List<String> argv, List<Path> readOnly, List<Path> writable, String profile) {
            mounts.add(readOnly);
            mounts.add(writable);
            return wrap.apply(argv);
        }

        @Override
        public List<String> supervised(List<String> argv) {
            return wrap.apply(argv);
        }

        @Override
        public String describe() {
            return "test";
        }
    }

    /** One request to the table, fields given as key, value, key, value… */
    static Frame call(ProcessComponent table, String id, String type, Object... kv) throws ProtocolException {
        return table.handle(frame(id, type, kv));
    }

    /** A request frame, fields given as key, value, key, value… */
    static Frame frame(String id, String type, Object... kv) {
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return new Frame(id, type, f);
    }
}
