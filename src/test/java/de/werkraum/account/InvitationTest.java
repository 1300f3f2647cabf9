package de.werkraum.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InvitationTest {

  static TestPlatform server;
  static ApiClient admin;
  static ApiClient coordinator;
  static long spaceA;
  static long spaceB;
  static final String PASSWORD = "Zeche-Ewald-Herten-9";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    server.createUser("admin@invite.de", PASSWORD, "Admin", true);
    long coord = server.createUser("coord@invite.de", PASSWORD, "Koordinatorin", false);
    spaceA = server.createSpace("Raum A");
    spaceB = server.createSpace("Raum B");
    server.addToSpace(spaceA, coord, "coordinator");
    admin = server.loggedIn("admin@invite.de", PASSWORD);
    coordinator = server.loggedIn("coord@invite.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String token(ApiClient.Response created) {
    String link = created.json().getString("link");
    return link.substring(link.lastIndexOf('/') + 1);
  }

  @Test
  void invitedPersonSetsNameAndPasswordAndJoinsTheSpace() {
    ApiClient.Response created = admin.post("/api/invitations", Map.of("email", "neu@invite.de", "spaceId", spaceA));
    assertEquals(201, created.status(), created.body());
    assertTrue(created.json().getString("link").startsWith(server.config.publicUrl() + "/#/invite/"));
    String token = token(created);

    ApiClient invitee = server.client();
    JsonObject info = invitee.get("/api/invitations/token/" + token).json();
    assertEquals("neu@invite.de", info.getString("email"));
    assertEquals("Raum A", info.getJsonObject("space").getString("name"));

    ApiClient.Response accepted = invitee.post("/api/invitations/token/" + token + "/accept",
        Map.of("displayName", "Neue Person", "password", "Emscher-Radweg-2027"));
    assertEquals(201, accepted.status(), accepted.body());
    JsonObject me = invitee.get("/api/me").json();
    assertEquals("neu@invite.de", me.getString("email"));
    assertEquals("member", me.getJsonArray("spaces").getJsonObject(0).getString("role"));
    assertEquals(200, server.client().post("/api/auth/login", Map.of("email", "neu@invite.de", "password", "Emscher-Radweg-2027")).status());
  }

  @Test
  void invitationCanBeUsedOnlyOnce() {
    String token = token(admin.post("/api/invitations", Map.of("email", "once@invite.de")));
    Map<String, String> body = Map.of("displayName", "Einmal", "password", "Kokerei-Hansa-Huckarde");
    assertEquals(201, server.client().post("/api/invitations/token/" + token + "/accept", body).status());
    ApiClient.Response second = server.client().post("/api/invitations/token/" + token + "/accept", body);
    assertEquals(410, second.status());
    assertEquals("invitation_used", second.errorCode());
    assertEquals(1, server.sqlLong("SELECT count(*) FROM users WHERE email = 'once@invite.de'"));
  }

  @Test
  void expiredInvitationIsRefused() {
    ApiClient.Response created = admin.post("/api/invitations", Map.of("email", "late@invite.de"));
    server.sql("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1", created.json().getLong("id"));
    String token = token(created);
    assertEquals("invitation_expired", server.client().get("/api/invitations/token/" + token).errorCode());
    ApiClient.Response accept = server.client().post("/api/invitations/token/" + token + "/accept",
        Map.of("displayName", "Zu spät", "password", "Kokerei-Hansa-Huckarde"));
    assertEquals(410, accept.status());
    assertEquals("invitation_expired", accept.errorCode());
    assertEquals(0, server.sqlLong("SELECT count(*) FROM users WHERE email = 'late@invite.de'"));
  }

  @Test
  void revokedAndUnknownTokensAreInvalid() {
    ApiClient.Response created = admin.post("/api/invitations", Map.of("email", "revoked@invite.de"));
    assertEquals(204, admin.delete("/api/invitations/" + created.json().getLong("id")).status());
    assertEquals("invitation_invalid", server.client().get("/api/invitations/token/" + token(created)).errorCode());
    assertEquals("invitation_invalid", server.client().get("/api/invitations/token/made-up").errorCode());
  }

  @Test
  void acceptingChecksThePassword() {
    String token = token(admin.post("/api/invitations", Map.of("email", "weakpw@invite.de")));
    ApiClient.Response r = server.client().post("/api/invitations/token/" + token + "/accept",
        Map.of("displayName", "Schwach", "password", "password1"));
    assertEquals("password_too_common", r.errorCode());
    assertEquals("pending", admin.get("/api/invitations?size=100").items().stream()
        .map(o -> (JsonObject) o).filter(o -> o.getString("email").equals("weakpw@invite.de")).findFirst().orElseThrow()
        .getString("status"));
  }

  @Test
  void coordinatorInvitesOnlyMembersIntoOwnSpace() {
    assertEquals(201, coordinator.post("/api/invitations", Map.of("email", "c1@invite.de", "spaceId", spaceA)).status());
    assertEquals("forbidden", coordinator.post("/api/invitations", Map.of("email", "c2@invite.de", "spaceId", spaceB)).errorCode());
    assertEquals("forbidden", coordinator.post("/api/invitations", Map.of("email", "c3@invite.de")).errorCode());
    assertEquals("forbidden", coordinator.post("/api/invitations",
        Map.of("email", "c4@invite.de", "spaceId", spaceA, "spaceRole", "coordinator")).errorCode());
    assertEquals("forbidden", coordinator.post("/api/invitations",
        Map.of("email", "c5@invite.de", "spaceId", spaceA, "admin", true)).errorCode());
    assertEquals(0, admin.get("/api/invitations?space=" + spaceB).json().getLong("total"));
    assertTrue(admin.get("/api/invitations?space=" + spaceA).json().getLong("total") >= 1);
    // The coordinator's list shows their space's invitations only.
    for (Object o : coordinator.get("/api/invitations?size=100").items()) {
      assertEquals(spaceA, ((JsonObject) o).getJsonObject("space").getLong("id"));
    }
  }

  @Test
  void existingAccountCannotBeInvitedAgain() {
    ApiClient.Response r = admin.post("/api/invitations", Map.of("email", "Coord@Invite.de"));
    assertEquals(409, r.status());
    assertEquals("email_taken", r.errorCode());
  }

  @Test
  void linkIsNotStoredInClearText() {
    ApiClient.Response created = admin.post("/api/invitations", Map.of("email", "hash@invite.de"));
    String token = token(created);
    assertEquals(0, server.sqlLong("SELECT count(*) FROM invitations WHERE encode(token_hash, 'escape') LIKE $1", "%" + token + "%"));
    assertFalse(admin.get("/api/invitations").body().contains(token), "list never shows links again");
  }
}
