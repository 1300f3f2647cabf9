package de.werkraum.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetupTest {

  @Test
  void firstVisitorWithTheSetupTokenBecomesAdminOnce() {
    try (TestPlatform server = TestPlatform.start()) {
      ApiClient client = server.client();
      assertTrue(client.get("/api/setup").json().getBoolean("needed"));
      // The token itself is only printed to the log; put a known one in its place.
      String token = Tokens.newToken();
      server.pool().preparedQuery("UPDATE setup_token SET token_hash = $1")
          .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(Tokens.digest(token)))).await();

      Map<String, Object> body = Map.of("token", "wrong", "email", "chef@setup.de", "displayName", "Chefin",
          "password", "Phoenix-See-Dortmund");
      assertEquals("setup_token_invalid", client.post("/api/setup", body).errorCode());

      ApiClient.Response ok = client.post("/api/setup", Map.of("token", token, "email", "chef@setup.de",
          "displayName", "Chefin", "password", "Phoenix-See-Dortmund"));
      assertEquals(201, ok.status(), ok.body());
      assertTrue(ok.json().getBoolean("admin"));
      assertEquals(200, client.get("/api/admin/users").status(), "logged in as the new admin");
      assertFalse(client.get("/api/setup").json().getBoolean("needed"));

      ApiClient.Response again = server.client().post("/api/setup", Map.of("token", token, "email", "zwei@setup.de",
          "displayName", "Zweite", "password", "Phoenix-See-Dortmund"));
      assertEquals(409, again.status());
      assertEquals("setup_done", again.errorCode());
      assertEquals(1, server.sqlLong("SELECT count(*) FROM users WHERE admin"));
    }
  }

  @Test
  void adminFromEnvironmentIsCreatedAtStart() {
    try (TestPlatform server = TestPlatform.start(Map.of(
        "WERKRAUM_ADMIN_EMAIL", "Admin@Env.de", "WERKRAUM_ADMIN_PASSWORD", "Zollverein-Schacht-XII"))) {
      assertFalse(server.client().get("/api/setup").json().getBoolean("needed"));
      ApiClient admin = server.loggedIn("admin@env.de", "Zollverein-Schacht-XII");
      assertTrue(admin.get("/api/me").json().getBoolean("admin"));
      assertEquals(0, server.sqlLong("SELECT count(*) FROM setup_token"));
    }
  }
}
