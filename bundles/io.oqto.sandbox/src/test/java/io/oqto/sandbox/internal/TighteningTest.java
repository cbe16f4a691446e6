package io.oqto.sandbox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A workspace policy may only tighten the operator's: checked over every pair of profiles. */
class TighteningTest {

    private static List<SandboxSettings> candidates() throws Exception {
        List<SandboxSettings> all = new ArrayList<>();
        for (String name : List.of("minimal", "development", "strict")) {
            for (boolean enabled : new boolean[] {true, false}) {
                all.add(SandboxFileParser.parse("g", "enabled = " + enabled + "\nprofile = \"" + name + "\""));
                all.add(SandboxFileParser.parse(
                        "g", "enabled = " + enabled + "\nprofile = \"" + name + "\"\n[network]\nmode = \"isolated\""));
            }
        }
        all.add(SandboxFileParser.parse(
                "w", "enabled = true\nprofile = \"wide\"\n[profiles.wide]\nallow_write = [\"~\", \"/\", \"/tmp\"]"));
        all.add(
                SandboxFileParser.parse(
                        "w",
                        "enabled = false\nprofile = \"open\"\n[profiles.open]\nallow_write = [\"/\"]\nextra_rw_bind = [\"/\"]"));
        return all;
    }

    @Test
    void noWorkspacePolicyLoosensAnyGlobalPolicy() throws Exception {
        int pairs = 0;
        for (SandboxSettings global : candidates()) {
            for (SandboxSettings workspace : candidates()) {
                SandboxSettings eff = global.tightenedBy(workspace);
                String pair = global.profileName() + "/" + workspace.profileName();
                if (global.enabled()) {
                    assertTrue(eff.enabled(), pair + ": a workspace cannot switch the sandbox off");
                    Profile g = global.profile();
                    Profile e = eff.profile();
                    assertTrue(e.denyRead().containsAll(g.denyRead()), pair + ": deny_read kept");
                    assertTrue(e.denyWrite().containsAll(g.denyWrite()), pair + ": deny_write kept");
                    assertTrue(g.allowWrite().containsAll(e.allowWrite()), pair + ": no new writable place");
                    assertTrue(g.extraRwBind().containsAll(e.extraRwBind()), pair + ": no new writable bind");
                    assertTrue(!g.isolateNetwork() || e.isolateNetwork(), pair + ": network isolation kept");
                    assertTrue(!g.isolatePid() || e.isolatePid(), pair + ": pid isolation kept");
                    assertTrue(!g.dropAllCaps() || e.dropAllCaps(), pair + ": capabilities stay dropped");
                }
                pairs++;
            }
        }
        assertEquals(14 * 14, pairs);
    }

    @Test
    void choosingAWeakerProfileByNameDoesNotLoosen() throws Exception {
        SandboxSettings strict = SandboxFileParser.parse("g", "enabled = true\nprofile = \"strict\"");
        SandboxSettings minimal = SandboxFileParser.parse("w", "profile = \"minimal\"");
        Profile eff = strict.tightenedBy(minimal).profile();
        assertTrue(eff.isolateNetwork() && eff.isolatePid() && eff.dropAllCaps());
        assertTrue(eff.denyRead().contains("~/.config"));
        assertEquals(List.of("/tmp"), eff.allowWrite(), "only what both allow");
    }

    @Test
    void aWorkspaceCanSwitchTheSandboxOnAndNarrowIt() throws Exception {
        SandboxSettings off = SandboxFileParser.parse("g", "enabled = false");
        SandboxSettings on = SandboxFileParser.parse("w", "enabled = true\nprofile = \"strict\"");
        SandboxSettings eff = off.tightenedBy(on);
        assertTrue(eff.enabled());
        assertTrue(eff.profile().isolateNetwork());
    }
}
