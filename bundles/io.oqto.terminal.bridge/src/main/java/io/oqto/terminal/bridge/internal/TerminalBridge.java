package io.oqto.terminal.bridge.internal;

import io.oqto.api.auth.BrowserSessions;
import io.oqto.api.auth.Caller;
import io.oqto.api.auth.TokenService;
import io.oqto.api.runner.Handover;
import io.oqto.api.runner.RunnerErrorException;
import io.oqto.api.runner.RunnerGateway;
import io.oqto.api.runner.RunnerUnavailableException;
import io.oqto.api.runner.UnknownUserException;
import io.oqto.api.runner.terminals.ConnectTerminal;
import io.oqto.api.runner.terminals.TerminalConnected;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.websocket.Session;
import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser's side of the user's terminals. A tab opens {@code /api/v1/users/{user}/terminals/{id}} as a
 * WebSocket ({@link TerminalEndpoint}, authenticated by {@link TerminalHandshake}); the first tab of a terminal gets
 * its one connection from the user's runner ({@code connect_terminal}, handed over, so the runner is not in the data
 * path) and the bridge relays between them. When the last tab closes, the terminal is kept for the grace time, so a
 * reconnect reattaches to the same shell; then its connection closes and the terminal ends.
 */
@Component(
        immediate = true,
        service = {},
        configurationPid = "oqto.terminals",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class TerminalBridge {

    private static final Logger LOG = LoggerFactory.getLogger(TerminalBridge.class);
    private static volatile @Nullable TerminalBridge current;

    private final RunnerGateway runners;
    private final TokenService tokens;
    private final BrowserSessions sessions;
    private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();
    /** Which terminal each tab watches, and whether its first message came. */
    private final Map<Session, Tab> tabs = new ConcurrentHashMap<>();

    private final Map<String, ScheduledFuture<?>> graces = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "oqto-terminal-grace");
        t.setDaemon(true);
        return t;
    });
    private volatile long graceSeconds;

    private static final class Tab {
        final Upstream upstream;
        volatile boolean sizeSent;

        Tab(Upstream upstream) {
            this.upstream = upstream;
        }
    }

    @Activate
    public TerminalBridge(
            @Reference RunnerGateway runners,
            @Reference TokenService tokens,
            @Reference BrowserSessions sessions,
            TerminalsConfig config) {
        this.runners = runners;
        this.tokens = tokens;
        this.sessions = sessions;
        this.graceSeconds = config.graceSeconds();
        LOG.info("terminal grace time: {} s", graceSeconds);
        current = this;
    }

    @Modified
    void modified(TerminalsConfig config) {
        graceSeconds = config.graceSeconds();
        LOG.info("terminal grace time: {} s", graceSeconds);
    }

    @Deactivate
    void deactivate() {
        current = null;
        timer.shutdownNow();
        for (Upstream u : upstreams.values()) {
            u.close();
        }
        upstreams.clear();
        tabs.clear();
    }

    static @Nullable TerminalBridge current() {
        return current;
    }

    TokenService tokens() {
        return tokens;
    }

    BrowserSessions sessions() {
        return sessions;
    }

    /** A tab opens a terminal: it may if the caller may act on the user; the terminal's connection is made once. */
    void attach(Caller caller, String user, String id, Session tab) throws IOException {
        String target = "me".equals(user) ? caller.user() : user;
        if (!caller.mayAccess(target)) {
            TerminalEndpoint.refuse(tab, "forbidden: user " + caller.user() + " may not open terminals of " + target);
            return;
        }
        String key = target + "/" + id;
        Upstream upstream;
        try {
            upstream = upstreams.computeIfAbsent(key, k -> connect(k, target, id));
        } catch (RunnerErrorException e) {
            TerminalEndpoint.refuse(tab, e.code().wire() + ": " + e.getMessage());
            return;
        } catch (RunnerUnavailableException | UnknownUserException e) {
            TerminalEndpoint.refuse(tab, "runner_unavailable: " + e.getMessage());
            return;
        }
        ScheduledFuture<?> grace = graces.remove(key);
        if (grace != null) {
            grace.cancel(false);
        }
        tabs.put(tab, new Tab(upstream));
        upstream.attach(tab);
    }

    private Upstream connect(String key, String user, String id) {
        Handover<TerminalConnected> h = runners.handOver(user, new ConnectTerminal(id));
        Upstream u = new Upstream(key, h.connection(), this::ended);
        try {
            if (!u.open()) {
                u.close();
                throw new RunnerUnavailableException("terminal " + id + " did not answer its WebSocket");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerUnavailableException("interrupted");
        }
        LOG.info("terminal {} of {} connected", id, user);
        return u;
    }

    void fromBrowser(Session tab, byte[] data) {
        Tab t = tabs.get(tab);
        if (t != null) {
            boolean first = !t.sizeSent;
            t.sizeSent = true;
            t.upstream.fromBrowser(data, first);
        }
    }

    /** Runs {@code task} on the bridge's timer after {@code millis}; false when the bridge is stopping. */
    boolean later(Runnable task, long millis) {
        try {
            // The task closes a WebSocket and swallows its errors: there is nothing to wait for.
            var unused = timer.schedule(task, millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            return false;
        }
    }

    /** A tab closed; with none left the terminal waits for the grace time, then ends. */
    void detach(Session tab) {
        Tab t = tabs.remove(tab);
        if (t == null || !t.upstream.detach(tab)) {
            return;
        }
        String key = t.upstream.key;
        long grace = graceSeconds;
        try {
            graces.put(
                    key,
                    timer.schedule(
                            () -> {
                                graces.remove(key);
                                if (!t.upstream.watched()) {
                                    LOG.info("terminal {} unwatched for {} s: ending it", key, grace);
                                    t.upstream.close();
                                }
                            },
                            grace,
                            TimeUnit.SECONDS));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            t.upstream.close();
        }
    }

    private void ended(Upstream u) {
        upstreams.remove(u.key, u);
        ScheduledFuture<?> grace = graces.remove(u.key);
        if (grace != null) {
            grace.cancel(false);
        }
        tabs.values().removeIf(t -> t.upstream == u);
    }
}
