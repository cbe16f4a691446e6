package io.oqto.gate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GateTest {

    private final Gate gate = new Gate();

    @Test
    void aHeldGateLetsNobodyThroughForAWholeWaitThenOpensItself() throws Exception {
        assertTrue(gate.isOpen(), "open from the start");
        gate.hold();
        long start = System.nanoTime();
        assertFalse(gate.enter(Duration.ofMillis(200)), "held: the first request waits the whole time, then 503");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "it waited the whole time");
        assertTrue(gate.isOpen(), "a hold never outlasts one wait");
        assertTrue(gate.enter(Duration.ZERO), "the next one goes through");
    }

    @Test
    void aWaitingRequestGoesThroughAsSoonAsTheGateOpens() throws Exception {
        gate.hold();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.enter(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        gate.open();
        assertTrue(waiting.get(10, TimeUnit.SECONDS));
        assertEquals(1, gate.through());
    }

    @Test
    void holdingWaitsForTheRequestsAlreadyThrough() throws Exception {
        gate.open();
        assertTrue(gate.enter(Duration.ZERO));
        gate.hold();
        assertFalse(gate.awaitIdle(Duration.ofMillis(100)), "one request is still through");
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.awaitIdle(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        gate.leave();
        assertTrue(idle.get(10, TimeUnit.SECONDS), "idle once it left");
        assertFalse(gate.enter(Duration.ofMillis(50)), "held: new requests wait");
    }
}
