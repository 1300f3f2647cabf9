package de.werkraum.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A profile with more edits than the server keeps ops for: a very late edit is refused and changes
 * nothing, a very late resubmit of a committed edit still finds its original version, a client that
 * missed too much is told to resync — also after a restart, which must not forget more than the
 * running server did (the last {@link ProfileEngine#KEEP_OPS} ops).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProfilePruningTest {

  static final String PASSWORD = "Gasometer-Oberhausen-2026";
  /** More than the kept ops and two snapshot periods: the first ops are forgotten in memory. */
  static final int EDITS = ProfileEngine.KEEP_OPS + 2 * ProfileEngine.SNAPSHOT_EVERY + 200;
  static final int WINDOW = 100;

  static TestPlatform server;
  static ApiClient member;
  static long profile;
  static JsonArray earlyDelta = new JsonArray().add(new JsonObject().put("insert", "Anfang"));
  static long earlyVersion;
  static long version;

  @BeforeAll
  static void start() {
    // One client commits over ten thousand edits as fast as the server takes them: far past a person's submit limit.
    server = TestPlatform.start(Map.of("WERKRAUM_WRITE_LIMITS", "profile_submit=off"));
    long space = server.createSpace("Lange Geschichte");
    server.addToSpace(space, server.createUser("viel@profile.de", PASSWORD, "Viel Schreiberin", false), "member");
    member = server.loggedIn("viel@profile.de", PASSWORD);
    profile = member.post("/api/spaces/" + space + "/profiles", Map.of()).json().getLong("id");
    try (WsClient c = WsClient.as(server, member)) {
      c.ok("profile_open", Map.of("profile", profile));
      earlyVersion = c.ok("profile_submit", Map.of("profile", profile, "field", "summary", "delta", earlyDelta,
          "baseVersion", 0, "client", "early-tab", "seq", 1)).getLong("version");
      version = commitMany(c, "bulk-tab", EDITS, earlyVersion);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Commits {@code count} one-letter inserts at the start of the summary, {@value #WINDOW} in flight at a time. */
  static long commitMany(WsClient c, String client, int count, long from) {
    long base = from;
    int seq = 0;
    while (seq < count) {
      Map<String, Boolean> waiting = new HashMap<>();
      for (int i = 0; i < WINDOW && seq < count; i++) {
        seq++;
        waiting.put(c.send("profile_submit", Map.of("profile", profile, "field", "summary",
            "delta", new JsonArray().add(new JsonObject().put("insert", "x")), "baseVersion", base, "client", client, "seq", seq)), true);
      }
      while (!waiting.isEmpty()) {
        JsonObject f = c.next(frame -> true, 20_000);
        assertNotNull(f, "an answer to every submit");
        if (f.getValue("id") != null && waiting.remove(f.getString("id")) != null) {
          assertEquals("ack", f.getString("type"), f.encode());
          base = Math.max(base, f.getJsonObject("result").getLong("version"));
        }
      }
    }
    return base;
  }

  static JsonObject stored() {
    ApiClient.Response r = member.get("/api/profiles/" + profile);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static String summary(JsonObject profile) {
    return DeltaCodec.read(profile.getJsonObject("fields").getJsonArray("summary")).text();
  }

  @Test
  @Order(1)
  void aNewEditBasedBeforeTheKeptOpsIsRefusedAndChangesNothing() {
    JsonObject before = stored();
    assertEquals(version, before.getLong("version"));
    assertEquals("x".repeat(EDITS) + "Anfang", summary(before));
    try (WsClient c = WsClient.as(server, member)) {
      c.ok("profile_open", Map.of("profile", profile));
      JsonObject answer = c.request("profile_submit", Map.of("profile", profile, "field", "summary",
          "delta", new JsonArray().add(new JsonObject().put("insert", "zu spät")), "baseVersion", 0, "client", "late-tab", "seq", 1));
      assertEquals("error", answer.getString("type"), answer.encode());
      assertEquals("base_too_old", answer.getString("code"));
      assertEquals("baseVersion", answer.getString("field"));
    }
    JsonObject after = stored();
    assertEquals(before.getLong("version"), after.getLong("version"), "no version was used");
    assertEquals(summary(before), summary(after), "the text is unchanged");
    assertEquals(0, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1 AND client = 'late-tab'", profile));
  }

  @Test
  @Order(2)
  void aVeryLateResubmitOfACommittedEditGetsItsOriginalVersion() {
    try (WsClient c = WsClient.as(server, member)) {
      c.ok("profile_open", Map.of("profile", profile));
      JsonObject again = c.ok("profile_submit", Map.of("profile", profile, "field", "summary", "delta", earlyDelta,
          "baseVersion", 0, "client", "early-tab", "seq", 1));
      assertEquals(earlyVersion, again.getLong("version"));
      assertTrue(again.getBoolean("duplicate"));
    }
    assertEquals(version, stored().getLong("version"), "applied once only");
    assertEquals(1, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1 AND client = 'early-tab'", profile));
  }

  @Test
  @Order(3)
  void anOpenFromTooFarBackIsToldToResync() {
    try (WsClient c = WsClient.as(server, member)) {
      c.ok("profile_open", Map.of("profile", profile));
      long missed = ProfileSocketHandler.MAX_CATCH_UP_OPS + 1 - version;
      if (missed > 0) {
        version = commitMany(c, "more-tab", (int) missed, version);
      }
      JsonObject answer = c.request("profile_open", Map.of("profile", profile, "since", 0));
      assertEquals("resync_required", answer.getString("code"), answer.encode());
      // Within reach, the same open catches up.
      JsonObject near = c.ok("profile_open", Map.of("profile", profile, "since", version - 10));
      assertEquals(version, near.getLong("version"));
    }
  }

  @Test
  @Order(4)
  void afterARestartEditsBasedAPeriodBeforeTheLatestSnapshotAreStillTransformed() {
    long latestSnapshot = server.sqlLong("SELECT max(version) FROM profile_snapshots WHERE profile_id = $1", profile);
    assertTrue(latestSnapshot > ProfileEngine.SNAPSHOT_EVERY, "periodic snapshots were stored: " + latestSnapshot);
    server.restart();
    try (WsClient c = WsClient.as(server, member)) {
      c.ok("profile_open", Map.of("profile", profile));
      // Based well before the latest snapshot, as a tab that was offline a while would send it.
      long base = latestSnapshot - ProfileEngine.SNAPSHOT_EVERY / 2;
      JsonObject late = c.ok("profile_submit", Map.of("profile", profile, "field", "summary",
          "delta", new JsonArray().add(new JsonObject().put("retain", base - 1)).add(new JsonObject().put("insert", "|")),
          "baseVersion", base, "client", "offline-tab", "seq", 1));
      assertEquals(version + 1, late.getLong("version"));
      version++;
      assertEquals("base_too_old", c.request("profile_submit", Map.of("profile", profile, "field", "summary",
          "delta", new JsonArray().add(new JsonObject().put("insert", "zu spät")), "baseVersion", 0, "client", "late-tab", "seq", 2))
          .getString("code"));
      JsonObject again = c.ok("profile_submit", Map.of("profile", profile, "field", "summary", "delta", earlyDelta,
          "baseVersion", 0, "client", "early-tab", "seq", 1));
      assertEquals(earlyVersion, again.getLong("version"));
      assertTrue(again.getBoolean("duplicate"));
    }
    // The late insert stays where its author put it, just before "Anfang": every edit since went before it.
    assertEquals(version, stored().getLong("version"));
    assertEquals("x".repeat((int) version - 2) + "|Anfang", summary(stored()));
  }
}
