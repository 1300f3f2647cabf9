package de.werkraum.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.ot.Delta;
import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One member's bad edits fail alone: text PostgreSQL cannot store and lengths outside the document's
 * range are refused before they reach a commit group, and an edit the database itself refuses (here: a
 * CHECK constraint this test adds) fails alone while everyone else's edits of the same group commit.
 */
class ProfileEditIsolationTest {

  static TestPlatform server;
  static long space;
  static final List<ApiClient> members = new ArrayList<>();
  static final String PASSWORD = "Zeche-Zollverein-Essen";

  @BeforeAll
  static void start() {
    // What is tested is the engine's answer to each bad edit; the write limit would refuse the bad
    // member's loop before the engine sees it (WriteLimitsProtocolTest covers that).
    server = TestPlatform.start(Map.of("WERKRAUM_WRITE_LIMITS", "profile_submit=off"));
    space = server.createSpace("Isolation");
    for (int i = 0; i < 4; i++) {
      long id = server.createUser("isolated" + i + "@profiles.de", PASSWORD, "Isoliert " + i, false);
      server.addToSpace(space, id, "member");
      members.add(server.loggedIn("isolated" + i + "@profiles.de", PASSWORD));
    }
    // A real refusal by the database for edits of clients named so: what any failure of one edit looks like.
    server.sql("ALTER TABLE profile_ops ADD CONSTRAINT refuses_marked_clients CHECK (client NOT LIKE 'refused-%')");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static long newProfile() {
    ApiClient.Response r = members.get(0).post("/api/spaces/" + space + "/profiles", Map.of());
    assertEquals(201, r.status(), r.body());
    return r.json().getLong("id");
  }

  private static Map<String, Object> submit(long profile, String field, String deltaJson, long base, String client, long seq) {
    Map<String, Object> m = new HashMap<>();
    m.put("profile", profile);
    m.put("field", field);
    m.put("delta", new JsonArray(deltaJson));
    m.put("baseVersion", base);
    m.put("client", client);
    m.put("seq", seq);
    return m;
  }

  private static int rawIds;

  /**
   * Sends a submit whose delta (and client) go out exactly as written: JSON escapes such as {@code \ud800}
   * reach the server as they are (a Java string with a lone surrogate would be sent as "?"). Answers the id.
   */
  private static String sendRaw(WsClient c, long profile, String field, String rawDelta, long base, String rawClient, long seq) {
    String id = "raw-" + ++rawIds;
    c.sendRaw("{\"id\":\"" + id + "\",\"type\":\"profile_submit\",\"profile\":" + profile + ",\"field\":\"" + field
        + "\",\"delta\":" + rawDelta + ",\"baseVersion\":" + base + ",\"client\":\"" + rawClient + "\",\"seq\":" + seq + "}");
    return id;
  }

  private static String rawCode(WsClient c, long profile, String field, String rawDelta, long base, String rawClient, long seq) {
    String id = sendRaw(c, profile, field, rawDelta, base, rawClient, seq);
    JsonObject answer = c.next(f -> id.equals(f.getValue("id")));
    assertNotNull(answer, "an answer");
    return answer.getString("code");
  }

  private static Delta replayed(long profile, String field) {
    Delta doc = Delta.EMPTY;
    for (Row r : server.pool().preparedQuery("SELECT field, delta FROM profile_ops WHERE profile_id = $1 ORDER BY version")
        .execute(Tuple.of(profile)).await()) {
      if (field.equals(r.getString(0))) {
        doc = doc.compose(DeltaCodec.read(r.getValue(1)));
      }
    }
    return doc;
  }

  @Test
  void handMadeLengthsOutsideTheDocumentAreRefusedAndChangeNothing() {
    long profile = newProfile();
    try (WsClient c = WsClient.as(server, members.get(0))) {
      c.ok("profile_open", Map.of("profile", profile));
      c.ok("profile_submit", submit(profile, "summary", "[{\"insert\":\"Hallo\"}]", 0, "tab-a", 1));
      // Based before "Hallo": transformed, the retain grows by 5 past 2^31 - 1 (it used to wrap around).
      assertEquals("delta_mismatch", c.request("profile_submit",
          submit(profile, "summary", "[{\"retain\":2147483645},{\"insert\":\"x\"}]", 0, "tab-b", 1)).getString("code"));
      assertEquals("invalid_delta", c.request("profile_submit",
          submit(profile, "summary", "[{\"retain\":2000000000},{\"retain\":2000000000},{\"insert\":\"x\"}]", 1, "tab-b", 2)).getString("code"));
      assertEquals("invalid_delta", c.request("profile_submit",
          submit(profile, "summary", "[{\"delete\":2147483647}]", 1, "tab-b", 3)).getString("code"));
      assertEquals("invalid_delta", c.request("profile_submit",
          submit(profile, "summary", "[{\"retain\":18446744073709551617},{\"insert\":\"x\"}]", 1, "tab-b", 4)).getString("code"));
      assertEquals("delta_mismatch", c.request("profile_submit",
          submit(profile, "summary", "[{\"retain\":2147483646,\"attributes\":{\"bold\":true}}]", 1, "tab-b", 5)).getString("code"));
      JsonObject next = c.ok("profile_submit", submit(profile, "summary", "[{\"retain\":5},{\"insert\":\"!\"}]", 1, "tab-a", 2));
      assertEquals(2, next.getLong("version"), "the refused edits took no version");
    }
    JsonObject loaded = members.get(1).get("/api/profiles/" + profile).json();
    assertEquals(2, loaded.getLong("version"));
    Delta served = DeltaCodec.read(loaded.getJsonObject("fields").getJsonArray("summary"));
    assertEquals("Hallo!", served.text());
    assertEquals(served, replayed(profile, "summary"), "the op log replays to the served document");
  }

  @Test
  void textThatCannotBeStoredIsRefusedAlone() {
    long profile = newProfile();
    try (WsClient c = WsClient.as(server, members.get(0))) {
      c.ok("profile_open", Map.of("profile", profile));
      assertEquals("invalid_text", rawCode(c, profile, "summary", "[{\"insert\":\"a\\u0000b\"}]", 0, "tab-a", 1));
      assertEquals("invalid_text", rawCode(c, profile, "title", "[{\"insert\":\"Grenz\\ud800wert\"}]", 0, "tab-a", 2));
      assertEquals("invalid_text", rawCode(c, profile, "summary", "[{\"insert\":\"\\ude00\\ud83d\"}]", 0, "tab-a", 3),
          "a pair the wrong way round is two lone surrogates");
      assertEquals("invalid_text", rawCode(c, profile, "goals",
          "[{\"insert\":\"Link\",\"attributes\":{\"link\":\"https://ruhr.de/\\u0000\"}}]", 0, "tab-a", 4));
      assertEquals("invalid_text", rawCode(c, profile, "goals",
          "[{\"insert\":\"Link\",\"attributes\":{\"link\":\"https://ruhr.de/\\udbff\"}}]", 0, "tab-a", 5));
      assertEquals("invalid_text", rawCode(c, profile, "summary", "[{\"insert\":\"x\"}]", 0, "tab\\u0000a", 6));
      assertEquals("invalid_text", rawCode(c, profile, "summary", "[{\"insert\":\"x\"}]", 0, "tab\\ud800", 7));
      JsonObject ok = c.ok("profile_submit", submit(profile, "summary", "[{\"insert\":\"Grüße 😀\"}]", 0, "tab-a", 8));
      assertEquals(1, ok.getLong("version"));
    }
    assertEquals(1, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1", profile));
  }

  @Test
  void aMemberSendingBadEditsInALoopDisturbsNoOneElse() throws Exception {
    long profile = newProfile();
    Random random = new Random(7);
    List<EditorSimulation> editors = new ArrayList<>();
    for (int i = 1; i < 4; i++) {
      EditorSimulation e = new EditorSimulation(server, members.get(i), profile, "summary", "good" + i, random.nextLong());
      e.connect();
      editors.add(e);
    }
    Map<String, String> expected = new HashMap<>();
    try (WsClient bad = WsClient.as(server, members.get(0))) {
      bad.ok("profile_open", Map.of("profile", profile));
      long seq = 0;
      long deadline = System.currentTimeMillis() + 5_000;
      while (System.currentTimeMillis() < deadline) {
        for (EditorSimulation e : editors) {
          e.pump(); // fails the test on any error frame
          if (random.nextInt(3) > 0) {
            e.edit();
          }
        }
        seq++;
        switch ((int) (seq % 3)) {
          // Passes every check of the server, then the database refuses it: it used to fail the whole group.
          case 0 -> expected.put(bad.send("profile_submit", submit(profile, "summary", "[{\"insert\":\"böse\"}]", 0, "refused-1", seq)),
              "edit_refused");
          case 1 -> expected.put(sendRaw(bad, profile, "summary", "[{\"insert\":\"nul\\u0000\"}]", 0, "bad", seq), "invalid_text");
          default -> expected.put(sendRaw(bad, profile, "goals", "[{\"insert\":\"\\udc00\"}]", 0, "bad", seq), "invalid_text");
        }
        Thread.sleep(random.nextInt(4));
      }
      long settleBy = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < settleBy && !editors.stream().allMatch(EditorSimulation::settled)) {
        editors.forEach(EditorSimulation::pump);
        Thread.sleep(10);
      }
      for (Map.Entry<String, String> e : expected.entrySet()) {
        JsonObject answer = bad.next(f -> e.getKey().equals(f.getValue("id")), 20_000);
        assertNotNull(answer, "an answer to " + e.getKey());
        assertEquals("error", answer.getString("type"), answer.encode());
        assertEquals(e.getValue(), answer.getString("code"), answer.encode());
      }
    }
    long serverVersion = server.sqlLong("SELECT version FROM profiles WHERE id = $1", profile);
    long quietBy = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < quietBy && !editors.stream().allMatch(e -> e.version == serverVersion)) {
      editors.forEach(EditorSimulation::pump);
      Thread.sleep(10);
    }
    assertTrue(serverVersion > 20, "the others' edits were committed: " + serverVersion);
    assertEquals(0, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1 AND client LIKE 'refused-%'", profile));
    Set<String> logged = new HashSet<>();
    long versions = 0;
    for (Row r : server.pool().preparedQuery("SELECT client, seq, version FROM profile_ops WHERE profile_id = $1 ORDER BY version")
        .execute(Tuple.of(profile)).await()) {
      versions++;
      assertEquals(versions, r.getLong(2), "versions have no holes");
      assertTrue(logged.add(r.getString(0) + "@" + r.getLong(2)));
    }
    JsonObject snapshot = members.get(1).get("/api/profiles/" + profile).json();
    Delta serverDoc = DeltaCodec.read(snapshot.getJsonObject("fields").getJsonArray("summary"));
    assertEquals(replayed(profile, "summary"), serverDoc);
    for (EditorSimulation e : editors) {
      assertTrue(e.settled(), e.clientId + " has nothing unsent");
      for (long acked : e.ackedVersions) {
        assertTrue(logged.contains(e.clientId + "@" + acked), "acknowledged edit " + acked + " of " + e.clientId + " is stored");
      }
      assertEquals(serverVersion, e.version, e.clientId);
      assertEquals(serverDoc.text(), e.doc.text(), e.clientId + " converged");
      assertFalse(e.doc.text().contains("böse"));
    }
  }
}
