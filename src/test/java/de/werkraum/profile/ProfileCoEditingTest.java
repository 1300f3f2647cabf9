package de.werkraum.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real-time co-editing of one profile field by many real WebSocket clients, against the real server. */
class ProfileCoEditingTest {

  static TestPlatform server;
  static long space;
  static final List<ApiClient> members = new ArrayList<>();
  static ApiClient outsider;
  static final String PASSWORD = "Nordsternpark-Gelsenkirchen";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Steckbriefe");
    for (int i = 0; i < 20; i++) {
      long id = server.createUser("editor" + i + "@profiles.de", PASSWORD, "Editor " + i, false);
      server.addToSpace(space, id, "member");
      members.add(server.loggedIn("editor" + i + "@profiles.de", PASSWORD));
    }
    server.createUser("outsider@profiles.de", PASSWORD, "Draußen", false);
    outsider = server.loggedIn("outsider@profiles.de", PASSWORD);
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

  @Test
  void twentyEditorsWithRandomDelaysAndDisconnectsConverge() throws Exception {
    long profile = newProfile();
    Random random = new Random(42);
    List<EditorSimulation> editors = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      EditorSimulation e = new EditorSimulation(server, members.get(i), profile, "summary", "c" + i, random.nextLong());
      e.connect();
      editors.add(e);
    }
    long deadline = System.currentTimeMillis() + 8_000;
    int rounds = 0;
    while (System.currentTimeMillis() < deadline) {
      rounds++;
      for (EditorSimulation e : editors) {
        e.pump();
        int dice = random.nextInt(100);
        if (dice < 25) {
          e.edit();
        } else if (dice < 27 && e.connected()) {
          e.disconnect();
        } else if (dice < 40 && !e.connected()) {
          e.connect();
        }
      }
      Thread.sleep(random.nextInt(5));
    }
    for (EditorSimulation e : editors) {
      if (!e.connected()) {
        e.connect();
      }
    }
    long settleBy = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < settleBy && !editors.stream().allMatch(EditorSimulation::settled)) {
      editors.forEach(EditorSimulation::pump);
      Thread.sleep(10);
    }
    long serverVersion = server.sqlLong("SELECT version FROM profiles WHERE id = $1", profile);
    long quietBy = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < quietBy && !editors.stream().allMatch(e -> e.version == serverVersion)) {
      editors.forEach(EditorSimulation::pump);
      Thread.sleep(10);
    }
    assertTrue(rounds > 50, "the simulation ran");
    assertTrue(serverVersion > 100, "many edits were committed: " + serverVersion);

    // The op log replayed from version 0 is the server's document, and every client has exactly it.
    Delta replayed = Delta.EMPTY;
    Set<String> clientSeqs = new HashSet<>();
    Set<String> versionsByClient = new HashSet<>();
    for (Row r : server.pool().preparedQuery("SELECT field, delta, client, seq FROM profile_ops WHERE profile_id = $1 ORDER BY version")
        .execute(Tuple.of(profile)).await()) {
      if ("summary".equals(r.getString(0))) {
        replayed = replayed.compose(DeltaCodec.read(r.getValue(1)));
      }
      assertTrue(clientSeqs.add(r.getString(2) + ":" + r.getLong(3)), "no edit twice");
    }
    for (Row r : server.pool().preparedQuery("SELECT client, version FROM profile_ops WHERE profile_id = $1")
        .execute(Tuple.of(profile)).await()) {
      versionsByClient.add(r.getString(0) + "@" + r.getLong(1));
    }
    JsonObject snapshot = members.get(0).get("/api/profiles/" + profile).json();
    Delta serverDoc = DeltaCodec.read(snapshot.getJsonObject("fields").getJsonArray("summary"));
    assertEquals(replayed, serverDoc);
    for (EditorSimulation e : editors) {
      for (long acked : e.ackedVersions) {
        assertTrue(versionsByClient.contains(e.clientId + "@" + acked), "acknowledged edit " + acked + " of " + e.clientId + " is in the log");
      }
      assertTrue(e.settled(), e.clientId + " still has unsent edits");
      assertEquals(serverVersion, e.version, e.clientId);
      assertEquals(serverDoc.text(), e.doc.text(), e.clientId + " converged");
    }
    editors.forEach(e -> {
      if (e.connected()) {
        e.disconnect();
      }
    });
  }

  @Test
  void resubmittingTheSameClientAndSeqIsAcknowledgedWithTheOriginalVersion() {
    long profile = newProfile();
    try (WsClient c = WsClient.as(server, members.get(0))) {
      c.ok("profile_open", Map.of("profile", profile));
      JsonArray delta = new JsonArray().add(new JsonObject().put("insert", "Quartier"));
      Map<String, Object> submit = Map.of("profile", profile, "field", "title", "delta", delta, "baseVersion", 0, "client", "tab-1", "seq", 1);
      JsonObject first = c.ok("profile_submit", submit);
      JsonObject again = c.ok("profile_submit", submit);
      assertEquals(first.getLong("version"), again.getLong("version"));
      assertTrue(again.getBoolean("duplicate"));
      assertEquals(1, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1", profile));
      assertEquals("Quartier", server.pool().preparedQuery("SELECT title FROM profiles WHERE id = $1").execute(Tuple.of(profile))
          .await().iterator().next().getString(0));
    }
  }

  @Test
  void editorsSeeWhoIsInTheProfileAndTheirCursors() {
    long profile = newProfile();
    try (WsClient a = WsClient.as(server, members.get(3))) {
      a.ok("profile_open", Map.of("profile", profile));
      try (WsClient b = WsClient.as(server, members.get(4))) {
        b.ok("profile_open", Map.of("profile", profile));
        JsonObject both = a.next(f -> "profile_presence".equals(f.getString("type")) && f.getJsonArray("editors").size() == 2);
        assertTrue(both != null, "A sees B arrive");
        b.ok("profile_cursor", Map.of("profile", profile, "field", "goals", "index", 0, "length", 0, "version", 0));
        JsonObject frame = a.next(f -> "profile_cursors".equals(f.getString("type")));
        assertTrue(frame != null, "A gets B's cursor");
        assertEquals(profile, frame.getLong("profile"));
        assertEquals(1, frame.getJsonArray("cursors").size());
        JsonObject cursor = frame.getJsonArray("cursors").getJsonObject(0);
        assertEquals("goals", cursor.getString("field"));
        assertEquals(0, cursor.getLong("index"));
        assertEquals(0, cursor.getLong("length"));
        assertEquals(0, cursor.getLong("version"));
        assertEquals("Editor 4", cursor.getJsonObject("participant").getString("name"));
        assertTrue(cursor.getJsonObject("participant").getString("color").startsWith("#"));
        JsonObject listed = members.get(0).get("/api/spaces/" + space + "/profiles").items().stream()
            .map(o -> (JsonObject) o).filter(p -> p.getLong("id") == profile).findFirst().orElseThrow();
        assertEquals(2, listed.getJsonArray("editing").size(), "the list shows who is editing now");
        assertEquals("invalid_field", b.request("profile_cursor", Map.of("profile", profile, "field", "goals", "index", -1,
            "version", 0)).getString("code"));
      }
      JsonObject alone = a.next(f -> "profile_presence".equals(f.getString("type")) && f.getJsonArray("editors").size() == 1);
      assertTrue(alone != null, "A sees B leave");
    }
  }

  @Test
  void cursorMovesWithinAnIntervalArriveAsOneEntryTheLatest() {
    long profile = newProfile();
    // Enough sockets on the profile that cursors are gathered for tens of milliseconds (1 ms per socket).
    List<WsClient> others = openedBy(profile, 8, 18, 8);
    try (WsClient a = WsClient.as(server, members.get(6)); WsClient b = WsClient.as(server, members.get(7))) {
      a.ok("profile_open", Map.of("profile", profile));
      b.ok("profile_open", Map.of("profile", profile));
      List<String> ids = new ArrayList<>();
      for (int index = 1; index <= 4; index++) {
        ids.add(b.send("profile_cursor", Map.of("profile", profile, "field", "summary", "index", index, "length", 0, "version", 0)));
      }
      for (String id : ids) {
        JsonObject answer = b.next(f -> id.equals(f.getValue("id")));
        assertTrue(answer != null && "ack".equals(answer.getString("type")), "cursor acknowledged: " + answer);
      }
      List<JsonObject> entries = a.drain(f -> "profile_cursors".equals(f.getString("type")), 1_000).stream()
          .flatMap(f -> f.getJsonArray("cursors").stream().map(o -> (JsonObject) o))
          .filter(c -> "Editor 7".equals(c.getJsonObject("participant").getString("name")))
          .toList();
      // Sent back to back they fall into one interval (a pause of the machine between them could split
      // them into two): gathered, never one entry per move, and the latest last.
      assertTrue(!entries.isEmpty() && entries.size() < 4, "four moves, gathered: " + entries);
      assertEquals(4, entries.get(entries.size() - 1).getLong("index"), "the latest move");
    } finally {
      others.forEach(WsClient::close);
    }
  }

  @Test
  void aCursorSentJustBeforeLeavingDoesNotOutliveItsEditor() {
    long profile = newProfile();
    List<WsClient> others = openedBy(profile, 8, 18, 8);
    try (WsClient a = WsClient.as(server, members.get(6)); WsClient b = WsClient.as(server, members.get(7))) {
      a.ok("profile_open", Map.of("profile", profile));
      b.ok("profile_open", Map.of("profile", profile));
      b.send("profile_cursor", Map.of("profile", profile, "field", "goals", "index", 0, "length", 0, "version", 0));
      b.ok("profile_close", Map.of("profile", profile));
      JsonObject gone = a.next(f -> "profile_presence".equals(f.getString("type")) && f.getJsonArray("editors").stream()
          .map(o -> (JsonObject) o).noneMatch(e -> "Editor 7".equals(e.getString("name"))));
      assertTrue(gone != null, "A sees B leave");
      List<JsonObject> after = a.drain(f -> "profile_cursors".equals(f.getString("type")) && f.getJsonArray("cursors").stream()
          .map(o -> (JsonObject) o).anyMatch(c -> "Editor 7".equals(c.getJsonObject("participant").getString("name"))), 1_000);
      assertEquals(List.of(), after, "no cursor of B after B left");
    } finally {
      others.forEach(WsClient::close);
    }
  }

  /** Sockets of members {@code from} to {@code to} (exclusive), {@code each} per member, with the profile open. */
  private static List<WsClient> openedBy(long profile, int from, int to, int each) {
    List<WsClient> sockets = new ArrayList<>();
    try {
      for (int m = from; m < to; m++) {
        for (int i = 0; i < each; i++) {
          WsClient o = WsClient.as(server, members.get(m));
          sockets.add(o);
          o.ok("profile_open", Map.of("profile", profile));
        }
      }
      return sockets;
    } catch (RuntimeException | AssertionError e) {
      sockets.forEach(WsClient::close);
      throw e;
    }
  }

  @Test
  void reopeningOnTheSameConnectionLeavesNoEditorBehind() throws Exception {
    long profile = newProfile();
    try (WsClient a = WsClient.as(server, members.get(5))) {
      a.ok("profile_open", Map.of("profile", profile, "since", 0));
      a.ok("profile_open", Map.of("profile", profile));
      // A reopen sent while the previous open is still on its way.
      a.send("profile_open", Map.of("profile", profile, "since", 0));
      a.ok("profile_open", Map.of("profile", profile));
      assertEquals(1, editing(profile));
    }
    long deadline = System.currentTimeMillis() + 5_000;
    while (editing(profile) != 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, editing(profile), "nobody is listed once the socket is gone");
  }

  private long editing(long profile) {
    return members.get(0).get("/api/spaces/" + space + "/profiles").items().stream()
        .map(o -> (JsonObject) o).filter(p -> p.getLong("id") == profile).findFirst().orElseThrow()
        .getJsonArray("editing").size();
  }

  @Test
  void insertsAreStampedWithTheirAuthorWhateverTheClientSent() {
    long profile = newProfile();
    try (WsClient c = WsClient.as(server, members.get(1))) {
      c.ok("profile_open", Map.of("profile", profile));
      JsonArray forged = new JsonArray().add(new JsonObject().put("insert", "Ziele").put("attributes",
          new JsonObject().put("author", "u999").put("bold", true)));
      c.ok("profile_submit", Map.of("profile", profile, "field", "goals", "delta", forged, "baseVersion", 0, "client", "x", "seq", 1));
    }
    JsonArray goals = members.get(0).get("/api/profiles/" + profile).json().getJsonObject("fields").getJsonArray("goals");
    JsonObject attrs = goals.getJsonObject(0).getJsonObject("attributes");
    long authorId = server.sqlLong("SELECT id FROM users WHERE email = 'editor1@profiles.de'");
    assertEquals("u" + authorId, attrs.getString("author"));
    assertEquals(true, attrs.getBoolean("bold"));
  }

  @Test
  void badEditsAreRefusedWithTheirOwnCodesAndChangeNothing() {
    long profile = newProfile();
    try (WsClient c = WsClient.as(server, members.get(2)); WsClient o = WsClient.as(server, outsider)) {
      c.ok("profile_open", Map.of("profile", profile));
      c.ok("profile_submit", Map.of("profile", profile, "field", "summary", "delta",
          new JsonArray().add(new JsonObject().put("insert", "abc")), "baseVersion", 0, "client", "b", "seq", 1));
      String[][] cases = {
          {"summary", "[{\"retain\":10},{\"insert\":\"x\"}]", "1", "delta_mismatch"},
          {"summary", "[{\"retain\":1},{\"delete\":5}]", "1", "delta_mismatch"},
          {"budget", "[{\"insert\":\"x\"}]", "1", "unknown_field"},
          {"summary", "[{\"insert\":\"x\"}]", "7", "version_ahead"},
          {"summary", "[{\"insert\":\"x\",\"attributes\":{\"color\":\"red\"}}]", "1", "invalid_attributes"},
          {"title", "[{\"insert\":\"x\",\"attributes\":{\"bold\":true}}]", "1", "invalid_attributes"},
          {"summary", "[{\"insert\":\"x\",\"attributes\":{\"link\":\"javascript:alert(1)\"}}]", "1", "invalid_attributes"},
          {"summary", "[{\"insert\":\"" + "y".repeat(ProfileFields.MAX_INSERT + 1) + "\"}]", "1", "insert_too_large"},
          {"summary", "[{\"retain\":-1}]", "1", "invalid_delta"},
          {"summary", "{\"insert\":\"x\"}", "1", "invalid_delta"},
          {"summary", "[{\"insert\":\"x\",\"delete\":1}]", "1", "invalid_delta"},
      };
      int seq = 10;
      for (String[] bad : cases) {
        JsonObject answer = c.request("profile_submit", Map.of("profile", profile, "field", bad[0],
            "delta", io.vertx.core.json.Json.decodeValue(bad[1]), "baseVersion", Long.parseLong(bad[2]), "client", "b", "seq", seq++));
        assertEquals(bad[3], answer.getString("code"), bad[1]);
      }
      assertEquals("forbidden", o.request("profile_open", Map.of("profile", profile)).getString("code"));
      assertEquals("not_open", o.request("profile_submit", Map.of("profile", profile, "field", "summary",
          "delta", new JsonArray().add(new JsonObject().put("insert", "x")), "baseVersion", 1, "client", "o", "seq", 1)).getString("code"));
      assertEquals("unknown_profile", c.request("profile_open", Map.of("profile", 999_999)).getString("code"));
      assertEquals("missing_field", c.request("profile_submit", Map.of("profile", profile, "field", "summary",
          "baseVersion", 1, "client", "b", "seq", 99)).getString("code"));
    }
    assertEquals(1, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1", profile));
    assertEquals("abc", DeltaCodec.read(members.get(0).get("/api/profiles/" + profile).json().getJsonObject("fields")
        .getJsonArray("summary")).text());
  }

  @Test
  void anEditorRemovedFromTheSpaceMidSessionIsRefusedAtCommitAndTheOthersEditsStillLand() {
    long profile = newProfile();
    long leaving = server.createUser("leaving@profiles.de", PASSWORD, "Geht gleich", false);
    server.addToSpace(space, leaving, "member");
    ApiClient leaver = server.loggedIn("leaving@profiles.de", PASSWORD);
    try (WsClient stays = WsClient.as(server, members.get(3)); WsClient goes = WsClient.as(server, leaver)) {
      stays.ok("profile_open", Map.of("profile", profile));
      goes.ok("profile_open", Map.of("profile", profile));
      goes.ok("profile_submit", Map.of("profile", profile, "field", "goals", "delta",
          new JsonArray().add(new JsonObject().put("insert", "vorher ")), "baseVersion", 0, "client", "g", "seq", 1));
      server.sql("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2", space, leaving);
      // Both submit at once, so they may share a commit: only the one without the right is refused.
      goes.send("profile_submit", Map.of("profile", profile, "field", "goals", "delta",
          new JsonArray().add(new JsonObject().put("insert", "nachher ")), "baseVersion", 1, "client", "g", "seq", 2));
      JsonObject kept = stays.ok("profile_submit", Map.of("profile", profile, "field", "goals", "delta",
          new JsonArray().add(new JsonObject().put("insert", "bleibt ")), "baseVersion", 1, "client", "s", "seq", 1));
      JsonObject refused = goes.next(f -> "error".equals(f.getString("type")) || "ack".equals(f.getString("type")));
      assertEquals("forbidden", refused.getString("code"), refused.encode());
      assertEquals(2, kept.getLong("version"));
      // A resubmit of the edit stored before the removal is not acknowledged either.
      assertEquals("forbidden", goes.request("profile_submit", Map.of("profile", profile, "field", "goals", "delta",
          new JsonArray().add(new JsonObject().put("insert", "vorher ")), "baseVersion", 0, "client", "g", "seq", 1)).getString("code"));
    }
    assertEquals(2, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1", profile));
    assertEquals(0, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1 AND seq = 2 AND client = 'g'", profile));
    assertEquals("bleibt vorher ", DeltaCodec.read(members.get(0).get("/api/profiles/" + profile).json().getJsonObject("fields")
        .getJsonArray("goals")).text());
  }

  @Test
  void aCommitLostToAnotherNodeIsRedoneOnTheirVersionsAndNothingIsLostOrDoubled() {
    long profile = newProfile();
    try (WsClient c = WsClient.as(server, members.get(4)); WsClient d = WsClient.as(server, members.get(5))) {
      c.ok("profile_open", Map.of("profile", profile));
      d.ok("profile_open", Map.of("profile", profile));
      c.ok("profile_submit", Map.of("profile", profile, "field", "partners", "delta",
          new JsonArray().add(new JsonObject().put("insert", "Stadt")), "baseVersion", 0, "client", "c", "seq", 1));
      // Another node commits version 2 behind this node's back (as a second server on the same database would).
      server.sql("""
          INSERT INTO profile_ops (profile_id, version, field, delta, author, client, seq)
          SELECT $1, 2, 'partners', '[{"insert":"Verein, "}]'::jsonb, created_by, 'elsewhere', 1 FROM profiles WHERE id = $1""", profile);
      server.sql("UPDATE profiles SET version = 2 WHERE id = $1", profile);
      // Two edits at once, both based on version 1: this node's guard fails, it reloads and redoes them.
      c.send("profile_submit", Map.of("profile", profile, "field", "partners", "delta",
          new JsonArray().add(new JsonObject().put("retain", 5)).add(new JsonObject().put("insert", " Essen")), "baseVersion", 1,
          "client", "c", "seq", 2));
      JsonObject second = d.ok("profile_submit", Map.of("profile", profile, "field", "partners", "delta",
          new JsonArray().add(new JsonObject().put("retain", 5)).add(new JsonObject().put("insert", "!")), "baseVersion", 1,
          "client", "d", "seq", 1));
      JsonObject first = c.next(f -> "ack".equals(f.getString("type")) || "error".equals(f.getString("type")), 10_000);
      assertEquals("ack", first.getString("type"), first.encode());
      assertEquals(java.util.Set.of(3L, 4L), java.util.Set.of(first.getJsonObject("result").getLong("version"), second.getLong("version")));
    }
    assertEquals(4, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1", profile));
    String text = DeltaCodec.read(members.get(0).get("/api/profiles/" + profile).json().getJsonObject("fields").getJsonArray("partners")).text();
    assertTrue(text.startsWith("Verein, Stadt"), text);
    assertEquals(("Verein, Stadt Essen!").length(), text.length(), text);
  }
}
