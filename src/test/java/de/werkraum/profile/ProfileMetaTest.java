package de.werkraum.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Status and tags of a profile (PATCH, live to open editors, in the list) and snapshots on demand. */
class ProfileMetaTest {

  static final String PASSWORD = "Zollverein-Essen-2026";
  static TestPlatform server;
  static long space;
  static ApiClient anna;
  static ApiClient ben;
  static ApiClient outsider;

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Klimaquartiere");
    server.addToSpace(space, server.createUser("anna@meta.de", PASSWORD, "Anna Adler", false), "member");
    server.addToSpace(space, server.createUser("ben@meta.de", PASSWORD, "Ben Berger", false), "coordinator");
    long elsewhere = server.createSpace("Anderswo");
    server.addToSpace(elsewhere, server.createUser("out@meta.de", PASSWORD, "Olga Außen", false), "coordinator");
    anna = server.loggedIn("anna@meta.de", PASSWORD);
    ben = server.loggedIn("ben@meta.de", PASSWORD);
    outsider = server.loggedIn("out@meta.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static long newProfile() {
    ApiClient.Response r = anna.post("/api/spaces/" + space + "/profiles", Map.of());
    assertEquals(201, r.status(), r.body());
    assertEquals(new JsonArray(), r.json().getJsonArray("tags"));
    assertEquals(1, r.json().getInteger("metaVersion"));
    return r.json().getLong("id");
  }

  static Map<String, Object> body(Object... pairs) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  static JsonObject listed(long profile, String query) {
    return anna.get("/api/spaces/" + space + "/profiles" + query).items().stream().map(o -> (JsonObject) o)
        .filter(p -> p.getLong("id") == profile).findFirst().orElse(null);
  }

  static boolean isMeta(JsonObject frame) {
    return "profile_meta".equals(frame.getString("type"));
  }

  @Test
  void membersChangeStatusAndTagsAndEveryoneWithTheProfileOpenSeesItAtOnce() {
    long profile = newProfile();
    try (WsClient annaWs = WsClient.as(server, anna); WsClient benWs = WsClient.as(server, ben)) {
      JsonObject opened = annaWs.ok("profile_open", Map.of("profile", profile)).getJsonObject("profile");
      assertEquals("draft", opened.getString("status"));
      assertEquals(new JsonArray(), opened.getJsonArray("tags"));
      assertEquals(1, opened.getInteger("metaVersion"));
      benWs.ok("profile_open", Map.of("profile", profile));

      ApiClient.Response r = anna.patch("/api/profiles/" + profile, body("status", "review",
          "tags", List.of(" Wohnen ", "Quartier", "wohnen", "Klima \t schutz", "QUARTIER"), "metaVersion", 1));
      assertEquals(200, r.status(), r.body());
      JsonArray expected = new JsonArray().add("Wohnen").add("Quartier").add("Klima schutz");
      assertEquals("review", r.json().getString("status"));
      assertEquals(expected, r.json().getJsonArray("tags"), "trimmed, spaces made one, no two equal ignoring case");
      assertEquals(2, r.json().getInteger("metaVersion"));

      for (WsClient ws : List.of(benWs, annaWs)) {
        JsonObject frame = ws.next(ProfileMetaTest::isMeta);
        assertNotNull(frame, "the change arrives live");
        assertEquals(profile, frame.getLong("profile"));
        assertEquals("review", frame.getString("status"));
        assertEquals(expected, frame.getJsonArray("tags"));
        assertEquals(2, frame.getInteger("metaVersion"));
        assertEquals("Anna Adler", frame.getJsonObject("by").getString("name"));
      }

      // Only the tags: the status stays.
      ApiClient.Response tagsOnly = ben.patch("/api/profiles/" + profile, body("tags", List.of("Wohnen"), "metaVersion", 2));
      assertEquals(200, tagsOnly.status(), tagsOnly.body());
      assertEquals("review", tagsOnly.json().getString("status"));
      JsonObject frame = annaWs.next(f -> isMeta(f) && f.getInteger("metaVersion") == 3);
      assertEquals(new JsonArray().add("Wohnen"), frame.getJsonArray("tags"));
      assertEquals("Ben Berger", frame.getJsonObject("by").getString("name"));

      // Someone opening later gets the current state in the answer.
      try (WsClient late = WsClient.as(server, ben)) {
        JsonObject current = late.ok("profile_open", Map.of("profile", profile)).getJsonObject("profile");
        assertEquals("review", current.getString("status"));
        assertEquals(new JsonArray().add("Wohnen"), current.getJsonArray("tags"));
        assertEquals(3, current.getInteger("metaVersion"));
      }
    }
    JsonObject read = anna.get("/api/profiles/" + profile).json();
    assertEquals("review", read.getString("status"));
    assertEquals(new JsonArray().add("Wohnen"), read.getJsonArray("tags"));
    assertEquals(3, read.getInteger("metaVersion"));
    assertEquals(0, read.getLong("version"), "the document version counts edits only");
    JsonObject row = listed(profile, "");
    assertEquals(new JsonArray().add("Wohnen"), row.getJsonArray("tags"));
    assertEquals("review", row.getString("status"));
    assertEquals(3, row.getInteger("metaVersion"));
  }

  @Test
  void aChangeBasedOnAnOldMetaVersionIsRefusedAndChangesNothing() {
    long profile = newProfile();
    assertEquals(200, anna.patch("/api/profiles/" + profile, body("status", "review", "metaVersion", 1)).status());
    try (WsClient benWs = WsClient.as(server, ben)) {
      benWs.ok("profile_open", Map.of("profile", profile));
      ApiClient.Response stale = ben.patch("/api/profiles/" + profile, body("status", "final", "tags", List.of("Alt"), "metaVersion", 1));
      assertEquals(409, stale.status(), stale.body());
      assertEquals("stale_version", stale.errorCode());
      assertNull(benWs.next(ProfileMetaTest::isMeta, 500), "nothing to tell");
    }
    JsonObject read = anna.get("/api/profiles/" + profile).json();
    assertEquals("review", read.getString("status"));
    assertEquals(new JsonArray(), read.getJsonArray("tags"));
    assertEquals(2, read.getInteger("metaVersion"));
  }

  @Test
  void peopleOutsideTheSpaceCannotChangeItAndUnknownProfilesAreNotFound() {
    long profile = newProfile();
    ApiClient.Response r = outsider.patch("/api/profiles/" + profile, body("status", "final", "metaVersion", 1));
    assertEquals(403, r.status(), r.body());
    assertEquals("forbidden", r.errorCode());
    assertEquals("forbidden", outsider.post("/api/profiles/" + profile + "/snapshots", Map.of()).errorCode());
    assertEquals("not_found", anna.patch("/api/profiles/999999", body("status", "final", "metaVersion", 1)).errorCode());
    assertEquals("not_found", anna.post("/api/profiles/999999/snapshots", Map.of()).errorCode());
    JsonObject read = anna.get("/api/profiles/" + profile).json();
    assertEquals("draft", read.getString("status"));
    assertEquals(1, read.getInteger("metaVersion"));
    assertEquals(0, server.sqlLong("SELECT count(*) FROM profile_snapshots WHERE profile_id = $1", profile));
  }

  @Test
  void badInputIsRefusedWithTheFieldNamedAndChangesNothing() {
    long profile = newProfile();
    List<String> tooMany = IntStream.rangeClosed(1, ProfileMeta.MAX_TAGS + 1).mapToObj(i -> "Tag " + i).toList();
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {body("status", "archived", "metaVersion", 1), "invalid_field", "status"});
    cases.add(new Object[] {body("status", 3, "metaVersion", 1), "invalid_field", "status"});
    cases.add(new Object[] {body("tags", tooMany, "metaVersion", 1), "invalid_field", "tags"});
    cases.add(new Object[] {body("tags", List.of("x".repeat(ProfileMeta.MAX_TAG_LENGTH + 1)), "metaVersion", 1), "field_too_long", "tags"});
    cases.add(new Object[] {body("tags", "Wohnen", "metaVersion", 1), "invalid_field", "tags"});
    cases.add(new Object[] {body("tags", List.of("Wohnen", 7), "metaVersion", 1), "invalid_field", "tags"});
    cases.add(new Object[] {body("tags", List.of("  "), "metaVersion", 1), "invalid_field", "tags"});
    cases.add(new Object[] {body("tags", List.of("Zeile\u0007"), "metaVersion", 1), "invalid_field", "tags"});
    cases.add(new Object[] {body("status", "final"), "missing_field", "metaVersion"});
    cases.add(new Object[] {body("status", "final", "metaVersion", "1"), "invalid_field", "metaVersion"});
    cases.add(new Object[] {body("status", "final", "metaVersion", 4_294_967_297L), "invalid_field", "metaVersion"});
    cases.add(new Object[] {body("metaVersion", 1), "missing_field", "status"});
    for (Object[] c : cases) {
      ApiClient.Response r = anna.patch("/api/profiles/" + profile, c[0]);
      assertEquals(400, r.status(), c[0] + " " + r.body());
      assertEquals(c[1], r.errorCode(), c[0] + " " + r.body());
      assertEquals(c[2], r.json().getJsonObject("error").getString("field"), c[0] + " " + r.body());
    }
    assertEquals("malformed_json", anna.patch("/api/profiles/" + profile, "[1]").errorCode());
    // Twenty tags are fine, duplicates ignoring case do not count twice.
    List<String> twenty = new ArrayList<>(tooMany.subList(0, ProfileMeta.MAX_TAGS));
    ApiClient.Response ok = anna.patch("/api/profiles/" + profile, body("tags", twenty, "metaVersion", 1));
    assertEquals(200, ok.status(), ok.body());
    assertEquals(ProfileMeta.MAX_TAGS, ok.json().getJsonArray("tags").size());
    assertEquals(2, anna.get("/api/profiles/" + profile).json().getInteger("metaVersion"), "only the good request changed it");
  }

  @Test
  void theListFiltersByStatusAndByTagIgnoringCase() {
    long tagged = newProfile();
    long plain = newProfile();
    assertEquals(200, anna.patch("/api/profiles/" + tagged, body("status", "final", "tags", List.of("Grüne Infrastruktur"), "metaVersion", 1)).status());
    assertNotNull(listed(tagged, "?tag=gr%C3%BCne%20infrastruktur"));
    assertNull(listed(plain, "?tag=gr%C3%BCne%20infrastruktur"));
    assertNotNull(listed(tagged, "?status=final"));
    assertNull(listed(plain, "?status=final"));
    assertNotNull(listed(plain, "?status=draft&tag="));
    assertNull(listed(tagged, "?status=draft&tag=Gr%C3%BCne%20Infrastruktur"));
    assertEquals("invalid_query", anna.get("/api/spaces/" + space + "/profiles?status=archived").errorCode());
    assertEquals("invalid_query", anna.get("/api/spaces/" + space + "/profiles?tag=" + "x".repeat(41)).errorCode());
  }

  @Test
  void aSnapshotOnDemandHoldsTheCommittedDocumentsAndLateEditsStillFit() {
    long profile = newProfile();
    try (WsClient ws = WsClient.as(server, anna)) {
      ws.ok("profile_open", Map.of("profile", profile));
      for (int seq = 1; seq <= 3; seq++) {
        ws.ok("profile_submit", Map.of("profile", profile, "field", "goals", "delta",
            new JsonArray().add(new JsonObject().put("insert", "Ziel " + seq + ". ")), "baseVersion", seq - 1, "client", "snap", "seq", seq));
      }
      ApiClient.Response r = ben.post("/api/profiles/" + profile + "/snapshots", Map.of());
      assertEquals(201, r.status(), r.body());
      assertEquals(3, r.json().getLong("version"));
      ApiClient.Response again = anna.post("/api/profiles/" + profile + "/snapshots", Map.of());
      assertEquals(201, again.status(), again.body());
      assertEquals(3, again.json().getLong("version"), "the same version again: nothing new to store");
      assertEquals(1, server.sqlLong("SELECT count(*) FROM profile_snapshots WHERE profile_id = $1", profile));
      JsonObject fields = (JsonObject) server.pool().preparedQuery("SELECT fields FROM profile_snapshots WHERE profile_id = $1 AND version = 3")
          .execute(io.vertx.sqlclient.Tuple.of(profile)).await().iterator().next().getValue(0);
      assertEquals("Ziel 3. Ziel 2. Ziel 1. ", DeltaCodec.read(fields.getJsonArray("goals")).text());
      assertEquals(ProfileFields.FIELDS.size(), fields.size(), "every field of the template");

      // An edit based before the snapshot is still transformed, not refused.
      JsonObject late = ws.ok("profile_submit", Map.of("profile", profile, "field", "goals", "delta",
          new JsonArray().add(new JsonObject().put("retain", 7)).add(new JsonObject().put("insert", "!")), "baseVersion", 1,
          "client", "other", "seq", 1));
      assertEquals(4, late.getLong("version"));
    }
    assertEquals("Ziel 3. Ziel 2. Ziel 1.! ", DeltaCodec.read(anna.get("/api/profiles/" + profile).json()
        .getJsonObject("fields").getJsonArray("goals")).text());
  }
}
