package io.oqto.provisioning.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.oqto.api.users.ProvisioningException;
import io.oqto.api.users.ProvisioningException.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The helper's answers: its data, its rejections and failures, and anything else it might send. */
class UsermgrClientTest {

    @Test
    void anOkAnswerGivesItsData() throws Exception {
        assertEquals(
                Map.of("uid", 2001, "created", true),
                UsermgrClient.outcome("create-user", "{\"ok\":true,\"data\":{\"uid\":2001,\"created\":true}}"));
        assertEquals(Map.of(), UsermgrClient.outcome("linger", "{\"ok\":true}"));
    }

    @Test
    void aRejectionIsInvalidInputAndAFailureAFailedStep() {
        ProvisioningException rejected = assertThrows(
                ProvisioningException.class,
                () -> UsermgrClient.outcome(
                        "create-user", "{\"ok\":false,\"error\":\"rejected: name: must match [a-z]+\"}"));
        assertEquals(Kind.INVALID, rejected.kind());
        assertEquals("rejected: name: must match [a-z]+", rejected.getMessage());
        ProvisioningException failed = assertThrows(
                ProvisioningException.class,
                () -> UsermgrClient.outcome("create-user", "{\"ok\":false,\"error\":\"useradd exited with 9\"}"));
        assertEquals(Kind.FAILED, failed.kind());
        assertEquals("create-user", failed.step());
    }

    @Test
    void anythingElseIsAFailureQuotingWhatCame() {
        assertEquals(
                "oqto-usermgr answered something else than JSON: {\"ok\":tru",
                assertThrows(ProvisioningException.class, () -> UsermgrClient.outcome("x", "{\"ok\":tru"))
                        .getMessage());
        assertEquals(
                "oqto-usermgr answered something else than {\"ok\":…}: [1,2]",
                assertThrows(ProvisioningException.class, () -> UsermgrClient.outcome("x", "[1,2]"))
                        .getMessage());
        assertEquals(
                "oqto-usermgr answered something else than {\"ok\":…}: {\"ok\":\"yes\"}",
                assertThrows(ProvisioningException.class, () -> UsermgrClient.outcome("x", "{\"ok\":\"yes\"}"))
                        .getMessage());
    }
}
