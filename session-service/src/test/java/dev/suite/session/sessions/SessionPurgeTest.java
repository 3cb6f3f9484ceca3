package dev.suite.session.sessions;

import dev.suite.session.Fixtures;
import dev.suite.session.TestDb;
import dev.suite.session.Upstreams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.suite.session.TestUsers.ALICE;
import static dev.suite.session.TestUsers.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(Upstreams.class)
class SessionPurgeTest {

    @Inject
    SessionPurge purge;

    @Test
    void expiredTemporarySessionsAreDeletedWithTheirMessagesAndOthersStay() {
        String expired = Fixtures.session(ALICE, "temporary");
        Fixtures.message(ALICE, expired, "user", "gone soon", 1);
        String fresh = Fixtures.session(ALICE, "temporary");
        String kept = Fixtures.session(ALICE, "memory");
        TestDb.update("UPDATE chat_session SET expires_at = ? WHERE session_id = ?",
                java.sql.Timestamp.from(Instant.now().minusSeconds(3600)), expired);
        int purged = purge.purge(Instant.now()).await().indefinitely();
        assertTrue(purged >= 1);
        as(ALICE).get("/api/sessions/" + expired).then().statusCode(404);
        assertEquals(0, TestDb.count("SELECT COUNT(*) FROM chat_message WHERE session_id = ?", expired));
        as(ALICE).get("/api/sessions/" + fresh).then().statusCode(200);
        as(ALICE).get("/api/sessions/" + kept).then().statusCode(200);
    }

    @Test
    void aMessageKeepsATemporarySessionAlive() {
        String session = Fixtures.session(ALICE, "temporary");
        TestDb.update("UPDATE chat_session SET expires_at = ? WHERE session_id = ?",
                java.sql.Timestamp.from(Instant.now().plusSeconds(5)), session);
        Fixtures.message(ALICE, session, "user", "still here", 1);
        purge.purge(Instant.now().plusSeconds(60)).await().indefinitely();
        as(ALICE).get("/api/sessions/" + session).then().statusCode(200);
    }
}
