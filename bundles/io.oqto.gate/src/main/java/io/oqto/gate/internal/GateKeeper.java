package io.oqto.gate.internal;

import io.oqto.api.gate.ApiGate;
import java.time.Duration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gate's state and its {@code [server] hold_seconds}, as the {@link ApiGate} the REST bundle opens and holds.
 * Apart from {@link ApiGateFilter} on purpose: a component's configuration becomes its services' properties, and a
 * whiteboard filter whose properties change is registered anew by Pax Web, which would drop requests on every edit of
 * {@code [server]}.
 */
// Immediate: its state (open or held) must live as long as the bundle, not as long as someone happens to use it.
@Component(
        immediate = true,
        service = {ApiGate.class, GateKeeper.class},
        configurationPid = "oqto.server",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GateConfig.class)
public final class GateKeeper implements ApiGate {

    private final Gate gate = new Gate();
    private volatile Duration hold;

    @Activate
    public GateKeeper(GateConfig config) {
        hold = Duration.ofSeconds(Math.max(0, config.holdSeconds()));
    }

    @Modified
    void modified(GateConfig config) {
        hold = Duration.ofSeconds(Math.max(0, config.holdSeconds()));
    }

    /** Requests waiting now give up at once (they get 503): nobody would open this gate again. */
    @Deactivate
    void deactivate() {
        hold = Duration.ZERO;
        gate.hold();
    }

    /** Lets a request through once the gate is open, waiting up to {@code [server] hold_seconds}. */
    boolean enter() throws InterruptedException {
        return gate.enter(hold);
    }

    void leave() {
        gate.leave();
    }

    @Override
    public void open() {
        gate.open();
    }

    @Override
    public void hold() {
        gate.hold();
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return gate.awaitIdle(timeout);
    }
}
