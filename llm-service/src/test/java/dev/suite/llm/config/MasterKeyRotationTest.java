package dev.suite.llm.config;

import dev.suite.commons.crypto.SecretBox;
import dev.suite.commons.ids.Ids;
import dev.suite.llm.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.suite.llm.TestUsers.ALICE;
import static dev.suite.llm.TestUsers.as;
import static dev.suite.llm.ConfigFixtures.PATH;
import static dev.suite.llm.ConfigFixtures.openai;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A service started with a new master key still reads keys sealed under the previous one. */
@QuarkusTest
@TestProfile(MasterKeyRotationTest.Rotated.class)
class MasterKeyRotationTest {

    static final byte[] OLD_KEY = new byte[32];
    static final byte[] NEW_KEY = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            OLD_KEY[i] = (byte) i;
            NEW_KEY[i] = (byte) (100 + i);
        }
    }

    public static class Rotated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "suite.master-key", Base64.getEncoder().encodeToString(NEW_KEY),
                    "suite.previous-master-keys", Base64.getEncoder().encodeToString(OLD_KEY));
        }
    }

    @Test
    void keysSealedWithThePreviousMasterKeyStillOpenAndNewWritesUseTheNewOne() {
        // A row written before the rotation, sealed with the old key.
        String id = Ids.newId();
        SecretBox old = new SecretBox(OLD_KEY, List.of());
        String sealed = old.seal("sk-before-rotation-1", LlmConfigService.keyContext(id));
        TestDb.update("""
                insert into llm_config (config_id, owner_id, name, provider, api_key_sealed, api_key_key_id,
                  api_key_hint, api_url, enabled, created_at, updated_at)
                values (?, ?, 'legacy', 'openai', ?, ?, 'ion1', 'https://api.openai.com/v1', true, now(6), now(6))""",
                id, ALICE, sealed, old.currentKeyId());

        as(ALICE).get(PATH + "/" + id + "/key").then().statusCode(200).body("api_key", equalTo("sk-before-rotation-1"));

        as(ALICE).body(openai("legacy", "sk-after-rotation-22")).put(PATH + "/" + id).then().statusCode(200);
        String keyId = (String) TestDb.query("select api_key_key_id from llm_config where config_id = ?", id)
                .get(0).get("api_key_key_id");
        assertEquals(new SecretBox(NEW_KEY, List.of()).currentKeyId(), keyId);
        assertNotEquals(old.currentKeyId(), keyId);
        as(ALICE).get(PATH + "/" + id + "/key").then().statusCode(200).body("api_key", equalTo("sk-after-rotation-22"));
    }
}
