package io.oqto.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The history scenarios on hstry (the double, run by the helper as each user's {@code hstry service run}), and hstry
 * going away mid-session: turns are queued in the runner, its status says how many, and once hstry is back they are
 * all there once, in order.
 */
class HstryHistorySystemIT extends HistoryScenarios {

    @Override
    boolean hstry() {
        return true;
    }

    @Test
    @Order(3)
    void whileHstryIsDownTurnsWaitAndArriveOnceInOrderWhenItIsBack() throws Exception {
        Path socket = Path.of("/home/oqto_" + alice + "/.local/state/hstry/service.sock");
        assertTrue(Files.exists(socket), "hstry serves on its socket");
        Files.writeString(d.hstryDown, "");
        Commands.runOk(List.of("pkill", "-TERM", "-u", "oqto_" + alice, "-f", "FakeHstry"));
        Commands.waitFor("hstry gone", WAIT, () -> !Files.exists(socket), d.helperLog);

        turn("h1", "first while down", 2);
        turn("h1", "second while down", 3);
        assertEquals(
                2,
                events.events.stream()
                        .filter(e -> e.name().equals("history.queued"))
                        .count(),
                events.events.toString());
        JsonNode status = get("/api/v1/users/me/runner", aliceToken).path("history");
        assertEquals("hstry", status.path("store").asText(), status.toString());
        assertEquals(2, status.path("waiting").asInt(), status.toString());
        assertEquals(
                503,
                d.send("GET", "/api/v1/users/me/history", null, aliceToken).statusCode(),
                "history cannot be read while hstry is down");
        Commands.Result sick = d.doctor();
        assertEquals(
                List.of(
                        "FAIL  hstry of " + alice + ": hstry does not answer its runner: hstry (2 waiting)",
                        "      fix: oqtoctl user disable " + alice + " && oqtoctl user enable " + alice
                                + " (restarts the user's services); hstry's log: journalctl _UID="
                                + Commands.uidOf("oqto_" + alice),
                        "ok    hstry of " + bob),
                linesAbout(sick, "hstry of "),
                sick.output());

        Files.delete(d.hstryDown);
        Commands.waitFor(
                "the queued turns written",
                WAIT,
                () -> {
                    try {
                        return get("/api/v1/users/me/runner", aliceToken)
                                        .path("history")
                                        .path("waiting")
                                        .asInt()
                                == 0;
                    } catch (Throwable e) {
                        return false;
                    }
                },
                d.helperLog);
        Commands.Result well = d.doctor();
        assertEquals(
                List.of("ok    hstry of " + alice, "ok    hstry of " + bob),
                linesAbout(well, "hstry of "),
                well.output());
        List<JsonNode> all = messages("h1");
        assertEquals(16, all.size(), contents(all).toString());
        assertEquals(
                List.of(
                        "user: first while down",
                        "assistant: You said: first while down",
                        "user: second while down",
                        "assistant: You said: second while down"),
                contents(all).subList(12, 16));
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i, all.get(i).path("idx").asInt(), "each message once, in order");
        }
    }

    /** The doctor's lines about {@code what}, with the fix under a failure. */
    static List<String> linesAbout(Commands.Result doctor, String what) {
        List<String> lines = doctor.output().lines().toList();
        List<String> about = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(what)) {
                about.add(lines.get(i));
                if (lines.get(i).startsWith("FAIL") && i + 1 < lines.size()) {
                    about.add(lines.get(i + 1));
                }
            }
        }
        return about;
    }
}
