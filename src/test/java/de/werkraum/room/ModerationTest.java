package de.werkraum.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The moderator's controls of a session room, seen through real WebSocket clients of several participants. */
class ModerationTest extends ModerationFixture {

  /** A running session moderated by the plain member "Moderator"; answers the session. */
  static JsonObject newSession(String policy) {
    ApiClient.Response r = coordinator.post("/api/spaces/" + space + "/sessions", Map.of("title", "Werkstatt " + UUID.randomUUID(),
        "startsAt", Instant.now().minus(5, ChronoUnit.MINUTES).toString(), "endsAt", Instant.now().plus(2, ChronoUnit.HOURS).toString(),
        "guestPolicy", policy, "moderators", List.of(moderatorId)));
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  static long newRoom() {
    return newSession("members").getLong("roomId");
  }

  static JsonObject post(WsClient c, long room, String text) {
    return c.request("post", Map.of("room", room, "key", UUID.randomUUID().toString(), "text", text));
  }

  static long lastSeq(long room) {
    return server.sqlLong("SELECT last_seq FROM rooms WHERE id = $1", room);
  }

  static long logCount(long room) {
    return server.sqlLong("SELECT count(*) FROM moderation_log WHERE room_id = $1", room);
  }

  static JsonObject stateEvent(WsClient c, long room) {
    return c.next(f -> "event".equals(f.getString("type")) && f.getLong("room") == room && "room_state".equals(f.getString("kind")));
  }

  static JsonObject notice(WsClient c, String kind) {
    return c.next(f -> "moderation".equals(f.getString("type")) && kind.equals(f.getString("kind")));
  }

  @Test
  void mutedParticipantCannotPostEditOrReactAndNothingIsStored() {
    long room = newRoom();
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      long own = a.ok("post", Map.of("room", room, "key", "k1", "text", "vorher")).getJsonObject("message").getLong("seq");
      JsonObject muted = m.ok("mod_mute", Map.of("room", room, "participant", "u" + aliceId, "seconds", 900,
          "reason", "Bitte beim Thema bleiben", "reactions", true));
      assertNotNull(muted.getString("until"));
      JsonObject told = notice(a, "muted");
      assertEquals("Bitte beim Thema bleiben", told.getString("reason"));
      assertEquals(muted.getString("until"), told.getString("until"));
      JsonObject listed = m.ok("mod_state", Map.of("room", room)).getJsonArray("mutes").getJsonObject(0);
      assertEquals("Alice", listed.getString("name"), "the panel can name the muted, also after they left");

      long before = lastSeq(room);
      JsonObject refused = post(a, room, "trotzdem");
      assertEquals("muted", refused.getString("code"));
      assertEquals("Bitte beim Thema bleiben", refused.getJsonObject("details").getString("reason"));
      assertEquals(muted.getString("until"), refused.getJsonObject("details").getString("until"));
      assertEquals("muted", a.request("edit", Map.of("room", room, "message", own, "text", "geändert")).getString("code"));
      assertEquals("muted", a.request("react", Map.of("room", room, "message", own, "emoji", "👍")).getString("code"));
      assertEquals(before, lastSeq(room), "nothing stored");
      assertEquals(0, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1 AND body = 'trotzdem'", room));
      assertEquals("vorher", server.pool().preparedQuery("SELECT body FROM messages WHERE room_id = $1 AND seq = $2")
          .execute(io.vertx.sqlclient.Tuple.of(room, own)).await().iterator().next().getString(0));

      // A rejoin shows the participant their mute.
      JsonObject joined = a.ok("join", Map.of("room", room));
      assertEquals("Bitte beim Thema bleiben", joined.getJsonObject("moderation").getJsonObject("you").getJsonObject("muted").getString("reason"));

      m.ok("mod_unmute", Map.of("room", room, "participant", "u" + aliceId));
      assertNotNull(notice(a, "unmuted"));
      assertEquals("ack", post(a, room, "wieder da").getString("type"));
      assertEquals("not_muted", m.request("mod_unmute", Map.of("room", room, "participant", "u" + aliceId)).getString("code"));
    }
  }

  @Test
  void muteWithoutReactionsStillAllowsReacting() {
    long room = newRoom();
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      long seq = m.ok("post", Map.of("room", room, "key", "m1", "text", "Frage an alle")).getJsonObject("message").getLong("seq");
      m.ok("mod_mute", Map.of("room", room, "participant", "u" + aliceId));
      assertEquals("muted", post(a, room, "nein").getString("code"));
      assertEquals("ack", a.request("react", Map.of("room", room, "message", seq, "emoji", "👍")).getString("type"));
      assertEquals("target_is_moderator", m.request("mod_mute", Map.of("room", room, "participant", "u" + moderatorId)).getString("code"));
    }
  }

  @Test
  void timedMuteExpiresOnTime() throws InterruptedException {
    long room = newRoom();
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      Instant until = Instant.parse(m.ok("mod_mute", Map.of("room", room, "participant", "u" + aliceId, "seconds", 2)).getString("until"));
      assertEquals("muted", post(a, room, "zu früh").getString("code"));
      // The participant and the moderators are told when it ran out, without asking.
      JsonObject over = a.next(f -> "moderation".equals(f.getString("type")) && "unmuted".equals(f.getString("kind")), 10_000);
      assertTrue(over.getBoolean("expired"), over.encode());
      assertTrue(!Instant.now().isBefore(until), "not told before the mute ended");
      assertEquals("u" + aliceId, m.next(f -> "unmuted".equals(f.getString("kind")), 5_000).getString("participant"));
      assertEquals("ack", post(a, room, "pünktlich").getString("type"));
    }
  }

  @Test
  void slowModeRejectsTheSecondPostInsideTheWindow() throws InterruptedException {
    long room = newRoom();
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      m.ok("mod_slow_mode", Map.of("room", room, "seconds", 2));
      assertEquals(2, stateEvent(a, room).getJsonObject("state").getInteger("slowModeSeconds"));
      assertEquals("ack", post(a, room, "eins").getString("type"));
      long before = lastSeq(room);
      JsonObject second = post(a, room, "zwei");
      assertEquals("slow_mode", second.getString("code"));
      int retry = second.getJsonObject("details").getInteger("retryAfter");
      assertTrue(retry >= 1 && retry <= 2, second.encode());
      assertEquals(before, lastSeq(room));
      assertEquals("ack", post(m, room, "Moderatoren sind ausgenommen").getString("type"));
      assertEquals("ack", post(m, room, "auch zweimal").getString("type"));
      Thread.sleep(2100);
      assertEquals("ack", post(a, room, "drei").getString("type"));
      assertEquals("invalid_field", m.request("mod_slow_mode", Map.of("room", room, "seconds", 99_999)).getString("code"));
      m.ok("mod_slow_mode", Map.of("room", room, "seconds", 0));
      assertEquals("ack", post(a, room, "vier").getString("type"));
      assertEquals("ack", post(a, room, "fünf").getString("type"));
    }
  }

  @Test
  void lockedRoomIsReadOnlyForAllButModeratorsAndLateJoinersSeeTheLock() {
    long room = newRoom();
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      m.ok("mod_lock", Map.of("room", room, "locked", true));
      JsonObject event = stateEvent(a, room);
      assertTrue(event.getJsonObject("state").getBoolean("locked"));
      assertEquals("lock", event.getString("action"));
      assertEquals("room_locked", post(a, room, "geht nicht").getString("code"));
      assertEquals("ack", post(m, room, "Moderation darf").getString("type"));
      try (WsClient b = WsClient.as(server, bob)) {
        JsonObject joined = b.ok("join", Map.of("room", room));
        assertTrue(joined.getJsonObject("moderation").getJsonObject("state").getBoolean("locked"), "a late joiner sees the lock");
        assertEquals("room_locked", post(b, room, "ich auch nicht").getString("code"));
        m.ok("mod_lock", Map.of("room", room, "locked", false));
        assertFalse(stateEvent(b, room).getJsonObject("state").getBoolean("locked"));
        assertEquals("ack", post(b, room, "jetzt schon").getString("type"));
      }
    }
  }

  @Test
  void handsQueueInOrderAndFloorOnlyLetsOnlyTheSpeakerPost() {
    long room = newRoom();
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice); WsClient b = WsClient.as(server, bob)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      b.ok("hand_raise", Map.of("room", room));
      a.ok("hand_raise", Map.of("room", room));
      stateEvent(m, room);
      JsonArray hands = stateEvent(m, room).getJsonObject("state").getJsonArray("hands");
      assertEquals(List.of("u" + bobId, "u" + aliceId), hands.stream().map(h -> ((JsonObject) h).getString("key")).toList());

      m.ok("mod_floor_only", Map.of("room", room, "on", true));
      m.ok("mod_floor_give", Map.of("room", room, "participant", "u" + bobId));
      JsonObject state = a.next(f -> "room_state".equals(f.getString("kind")) && "floor_give".equals(f.getString("action"))).getJsonObject("state");
      assertEquals("u" + bobId, state.getJsonObject("floor").getString("key"));
      assertEquals(1, state.getJsonArray("hands").size(), "giving the floor lowers that hand");
      assertTrue(state.getBoolean("floorOnly"));
      assertEquals("ack", post(b, room, "Ich habe das Wort").getString("type"));
      assertEquals("floor_only", post(a, room, "ich nicht").getString("code"));
      assertEquals("ack", post(m, room, "Moderation darf immer").getString("type"));

      m.ok("mod_floor_take", Map.of("room", room));
      assertEquals("floor_only", post(b, room, "nicht mehr").getString("code"));
      a.ok("hand_lower", Map.of("room", room));
      b.ok("hand_raise", Map.of("room", room));
      m.ok("mod_hands_clear", Map.of("room", room));
      JsonObject cleared = b.next(f -> "hands_clear".equals(f.getString("action")));
      assertTrue(cleared.getJsonObject("state").getJsonArray("hands").isEmpty());
      m.ok("mod_floor_only", Map.of("room", room, "on", false));
      assertEquals("ack", post(a, room, "offen für alle").getString("type"));
      assertEquals("unknown_participant", m.request("mod_floor_give", Map.of("room", room, "participant", "u999999")).getString("code"));
      assertEquals("invalid_field", m.request("mod_floor_give", Map.of("room", room, "participant", "x1")).getString("code"));
    }
  }

  @Test
  void removedParticipantMayRejoinButBannedOneMayNotUntilLifted() {
    long room = newRoom();
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      m.ok("mod_remove_participant", Map.of("room", room, "participant", "u" + aliceId, "reason", "Pause"));
      assertEquals("Pause", notice(a, "removed").getString("reason"));
      assertEquals("not_joined", post(a, room, "noch da?").getString("code"));
      a.ok("join", Map.of("room", room));

      m.ok("mod_ban", Map.of("room", room, "participant", "u" + aliceId, "reason", "Beleidigung"));
      assertNotNull(notice(a, "banned"));
      assertEquals("not_joined", post(a, room, "hallo").getString("code"));
      assertEquals("banned", a.request("join", Map.of("room", room)).getString("code"));
      assertEquals("banned", a.request("history", Map.of("room", room)).getString("code"));
      assertEquals(1, m.ok("mod_state", Map.of("room", room)).getJsonArray("bans").size());
      m.ok("mod_unban", Map.of("room", room, "participant", "u" + aliceId));
      a.ok("join", Map.of("room", room));
      assertEquals("not_banned", m.request("mod_unban", Map.of("room", room, "participant", "u" + aliceId)).getString("code"));
    }
  }

  @Test
  void lobbyGuestsAreAdmittedOrTurnedAway() {
    JsonObject session = newSession("approval");
    long room = session.getLong("roomId");
    String link = coordinator.post("/api/sessions/" + session.getLong("id") + "/guest-link", null).json().getString("link");
    String token = link.substring(link.lastIndexOf('/') + 1);
    ApiClient first = server.client();
    ApiClient second = server.client();
    ApiClient third = server.client();
    long firstId;
    long secondId;
    try (WsClient early = WsClient.as(server, moderator)) {
      early.ok("join", Map.of("room", room));
      firstId = first.post("/api/guest/" + token + "/join", Map.of("displayName", "Erster Gast")).json().getLong("id");
      // A moderator in the room hears of a guest arriving in the lobby at once.
      JsonObject waiting = early.next(f -> "lobby_waiting".equals(f.getString("kind")), 5_000);
      assertEquals("Erster Gast", waiting.getJsonObject("guest").getString("name"));
      assertEquals(firstId, waiting.getJsonObject("guest").getLong("guestId"));
    }
    secondId = second.post("/api/guest/" + token + "/join", Map.of("displayName", "Zweiter Gast")).json().getLong("id");
    third.post("/api/guest/" + token + "/join", Map.of("displayName", "Dritter Gast"));
    try (WsClient m = WsClient.as(server, moderator); WsClient g = WsClient.as(server, first); WsClient g2 = WsClient.as(server, second)) {
      assertEquals(3, m.ok("mod_state", Map.of("room", room)).getJsonArray("lobby").size());
      assertEquals("forbidden", g.request("join", Map.of("room", room)).getString("code"));
      m.ok("mod_lobby_admit", Map.of("room", room, "guest", firstId));
      // The waiting guest's socket (not in any room) is told, so its page can go in without polling.
      assertEquals(room, g.next(f -> "admitted".equals(f.getString("kind")), 5_000).getLong("room"));
      assertEquals("guest", g.ok("join", Map.of("room", room)).getString("role"));
      m.ok("mod_lobby_deny", Map.of("room", room, "guest", secondId));
      assertEquals(room, g2.next(f -> "denied".equals(f.getString("kind")), 5_000).getLong("room"));
      assertEquals("unknown_guest", m.request("mod_lobby_admit", Map.of("room", room, "guest", secondId)).getString("code"));
      assertEquals(1, m.ok("mod_lobby_admit_all", Map.of("room", room)).getJsonArray("guests").size());
      assertTrue(m.ok("mod_state", Map.of("room", room)).getJsonArray("lobby").isEmpty());
    }
    assertEquals(403, assertThrows(io.vertx.core.http.UpgradeRejectedException.class, () -> WsClient.as(server, second)).getStatus());
  }

  @Test
  void promotedParticipantModeratesUntilDemoted() {
    long room = newRoom();
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      a.ok("join", Map.of("room", room));
      assertEquals("forbidden", a.request("mod_lock", Map.of("room", room, "locked", true)).getString("code"));
      m.ok("mod_promote", Map.of("room", room, "participant", "u" + aliceId));
      assertEquals("moderator", notice(a, "promoted").getString("role"));
      a.ok("mod_lock", Map.of("room", room, "locked", true));
      m.ok("mod_demote", Map.of("room", room, "participant", "u" + aliceId));
      // Told as a whole notice frame, although no longer among the moderators who get theirs.
      assertEquals("member", notice(a, "demoted").getString("role"));
      assertEquals("forbidden", a.request("mod_lock", Map.of("room", room, "locked", false)).getString("code"));
      assertEquals("room_locked", post(a, room, "gesperrt").getString("code"));
      assertEquals("not_a_moderator", m.request("mod_demote", Map.of("room", room, "participant", "u" + aliceId)).getString("code"));
    }
  }

  @Test
  void pinsRemovalsAndResultsReachEveryoneAndResultsExportAsMarkdown() {
    JsonObject session = newSession("members");
    long room = session.getLong("roomId");
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice); WsClient b = WsClient.as(server, bob)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      long good = a.ok("post", Map.of("room", room, "key", "g", "text", "Gemeinsames Quartiersbüro\nmit Sprechstunde")).getJsonObject("message").getLong("seq");
      long bad = b.ok("post", Map.of("room", room, "key", "b", "text", "Unfreundlich")).getJsonObject("message").getLong("seq");

      m.ok("mod_pin", Map.of("room", room, "message", good));
      JsonArray pins = a.next(f -> "pin".equals(f.getString("action"))).getJsonObject("state").getJsonArray("pins");
      assertEquals(1, pins.size());
      assertEquals(good, pins.getLong(0));

      m.ok("mod_remove_message", Map.of("room", room, "message", bad, "reason", "Ton"));
      JsonObject removed = a.next(f -> "message_removed".equals(f.getString("kind")) && "event".equals(f.getString("type")));
      assertEquals(bad, removed.getJsonObject("message").getLong("seq"));
      assertEquals("Moderator", notice(b, "message_removed").getString("by"), "the author learns who removed it");
      JsonObject seenByAlice = a.ok("history", Map.of("room", room)).getJsonArray("messages").stream().map(o -> (JsonObject) o)
          .filter(o -> o.getLong("seq") == bad).findFirst().orElseThrow();
      assertTrue(seenByAlice.getBoolean("removed"));
      assertNull(seenByAlice.getString("text"));
      assertFalse(seenByAlice.containsKey("removedBy"), "others see a tombstone");
      JsonObject seenByBob = b.ok("history", Map.of("room", room)).getJsonArray("messages").stream().map(o -> (JsonObject) o)
          .filter(o -> o.getLong("seq") == bad).findFirst().orElseThrow();
      assertEquals("Moderator", seenByBob.getString("removedBy"));
      assertEquals("message_deleted", m.request("mod_pin", Map.of("room", room, "message", bad)).getString("code"));

      m.ok("mod_result", Map.of("room", room, "message", good, "result", true));
      JsonObject marked = b.next(f -> "result".equals(f.getString("kind")));
      assertTrue(marked.getBoolean("result"));
      assertEquals("forbidden", a.request("mod_result", Map.of("room", room, "message", good, "result", false)).getString("code"));
    }
    JsonObject results = alice.get("/api/sessions/" + session.getLong("id") + "/results").json();
    assertEquals(1, results.getJsonArray("results").size());
    ApiClient.Response md = alice.get("/api/sessions/" + session.getLong("id") + "/results.md");
    assertEquals(200, md.status());
    assertTrue(md.raw().headers().firstValue("content-type").orElse("").startsWith("text/markdown"));
    assertTrue(md.body().startsWith("# Ergebnisse: " + session.getString("title")), md.body());
    assertTrue(md.body().contains("- Gemeinsames Quartiersbüro\n  mit Sprechstunde — Alice"), md.body());
  }

  @Test
  void endingTheSessionMakesTheRoomAReadOnlyArchiveForEveryone() {
    long room = newRoom();
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      m.ok("mod_end_session", Map.of("room", room));
      assertFalse(stateEvent(a, room).getJsonObject("state").getBoolean("open"));
      assertEquals("room_closed", post(a, room, "zu spät").getString("code"));
      assertEquals("room_closed", post(m, room, "auch zu spät").getString("code"));
      assertEquals("room_closed", m.request("mod_lock", Map.of("room", room, "locked", true)).getString("code"));
    }
    long standing = coordinator.post("/api/spaces/" + space + "/rooms", Map.of("name", "Dauerraum " + UUID.randomUUID())).json().getLong("id");
    try (WsClient c = WsClient.as(server, coordinator)) {
      assertEquals("not_a_session", c.request("mod_end_session", Map.of("room", standing)).getString("code"));
    }
  }
}
