package io.oqto.routing.standalone;

import io.oqto.api.runner.RunnerGateway;
import io.oqto.routing.internal.RunnerRouter;

/**
 * The control plane's runner client outside Karaf, for programs that measure or drive one runner (the
 * round-trip benchmark): the same pooled connections, peer check and typed calls as in the control plane.
 */
public final class StandaloneGateway {

    private StandaloneGateway() {}

    /**
     * A gateway to the runner of the user running this JVM, at {@code socket}; close it to release its
     * connections.
     */
    public static Closeable singleUser(String socket) {
        RunnerRouter router = RunnerRouter.standalone(socket);
        return new Closeable() {
            @Override
            public RunnerGateway gateway() {
                return router;
            }

            @Override
            public void close() {
                router.close();
            }
        };
    }

    /** A gateway and the connections it holds. */
    public interface Closeable extends AutoCloseable {

        RunnerGateway gateway();

        @Override
        void close();
    }
}
