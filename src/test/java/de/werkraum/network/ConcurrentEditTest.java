package de.werkraum.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Optimistic concurrency: a stale edit is refused with stale_version and the newer edit survives. */
class ConcurrentEditTest {

  static TestPlatform server;
  static ApiClient adminA;
  static ApiClient adminB;
  static ApiClient member;
  static final String PASSWORD = "Zeche-Nachtigall-Witten";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    server.createUser("a@edit.de", PASSWORD, "Admin A", true);
    server.createUser("b@edit.de", PASSWORD, "Admin B", true);
    server.createUser("m@edit.de", PASSWORD, "Mitglied", false);
    adminA = server.loggedIn("a@edit.de", PASSWORD);
    adminB = server.loggedIn("b@edit.de", PASSWORD);
    member = server.loggedIn("m@edit.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void staleProfileEditIsRefusedAndChangesNothing() {
    JsonObject me = member.get("/api/me").json();
    int version = me.getInteger("version");
    ApiClient.Response first = member.put("/api/me", Map.of("displayName", "Erste Fassung", "position", "Planerin", "version", version));
    assertEquals(200, first.status(), first.body());
    assertEquals(version + 1, first.json().getInteger("version"));
    ApiClient.Response stale = member.put("/api/me", Map.of("displayName", "Veraltet", "version", version));
    assertEquals(409, stale.status());
    assertEquals("stale_version", stale.errorCode());
    assertEquals("Erste Fassung", member.get("/api/me").json().getString("displayName"));
    assertEquals("Planerin", member.get("/api/me").json().getString("position"));
  }

  @Test
  void staleOrganisationEditIsRefused() {
    JsonObject org = adminA.post("/api/organisations", Map.of("name", "Stiftung Mercator Beispiel", "sector", "foundation")).json();
    long id = org.getLong("id");
    int version = org.getInteger("version");
    Map<String, Object> fromA = Map.of("name", "Fassung A", "sector", "foundation", "version", version);
    Map<String, Object> fromB = Map.of("name", "Fassung B", "sector", "foundation", "version", version);
    assertEquals(200, adminA.put("/api/organisations/" + id, fromA).status());
    assertEquals("stale_version", adminB.put("/api/organisations/" + id, fromB).errorCode());
    assertEquals("Fassung A", adminB.get("/api/organisations/" + id).json().getString("name"));
  }

  @Test
  void staleSpaceEditIsRefused() {
    JsonObject space = adminA.post("/api/spaces", Map.of("name", "Klima", "description", "alt")).json();
    long id = space.getLong("id");
    int version = space.getInteger("version");
    assertEquals(200, adminA.put("/api/spaces/" + id, Map.of("name", "Klima", "description", "neu A", "version", version)).status());
    assertEquals("stale_version", adminB.put("/api/spaces/" + id, Map.of("name", "Klima", "description", "neu B", "version", version)).errorCode());
    assertEquals("neu A", adminB.get("/api/spaces/" + id).json().getString("description"));
  }

  @Test
  void coordinatorManagesMembersButNotCoordinators() {
    JsonObject space = adminA.post("/api/spaces", Map.of("name", "Mobilität")).json();
    long id = space.getLong("id");
    long coordId = server.createUser("koord@edit.de", PASSWORD, "Koordination", false);
    long otherCoord = server.createUser("koord2@edit.de", PASSWORD, "Koordination 2", false);
    long memberId = server.sqlLong("SELECT id FROM users WHERE email = 'm@edit.de'");
    assertEquals(200, adminA.put("/api/spaces/" + id + "/members/" + coordId, Map.of("role", "coordinator")).status());
    assertEquals(200, adminA.put("/api/spaces/" + id + "/members/" + otherCoord, Map.of("role", "coordinator")).status());
    ApiClient coord = server.loggedIn("koord@edit.de", PASSWORD);
    assertEquals(200, coord.put("/api/spaces/" + id + "/members/" + memberId, Map.of("role", "member")).status());
    assertEquals("forbidden", coord.put("/api/spaces/" + id + "/members/" + memberId, Map.of("role", "coordinator")).errorCode());
    assertEquals("forbidden", coord.put("/api/spaces/" + id + "/members/" + otherCoord, Map.of("role", "member")).errorCode());
    assertEquals("forbidden", coord.delete("/api/spaces/" + id + "/members/" + otherCoord).errorCode());
    assertEquals(2, coord.get("/api/spaces/" + id).json().getJsonArray("coordinators").size());
    assertEquals(3, coord.get("/api/spaces/" + id + "/members").json().getLong("total"));
    assertEquals(204, coord.delete("/api/spaces/" + id + "/members/" + memberId).status());
    assertEquals(2, coord.get("/api/spaces/" + id + "/members").json().getLong("total"));
    assertEquals("not_found", coord.delete("/api/spaces/" + id + "/members/" + memberId).errorCode());
  }
}
