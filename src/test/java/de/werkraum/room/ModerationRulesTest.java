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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Polls, reports, the moderation log, who may send which request, and moderation state across a restart. */
class ModerationRulesTest extends ModerationFixture {

  static JsonObject newSession() {
    ApiClient.Response r = coordinator.post("/api/spaces/" + space + "/sessions", Map.of("title", "Werkstatt " + UUID.randomUUID(),
        "startsAt", Instant.now().minus(5, ChronoUnit.MINUTES).toString(), "endsAt", Instant.now().plus(2, ChronoUnit.HOURS).toString(),
        "moderators", List.of(moderatorId)));
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  static long logCount(long room) {
    return server.sqlLong("SELECT count(*) FROM moderation_log WHERE room_id = $1", room);
  }

  static long post(WsClient c, long room, String text) {
    return c.ok("post", Map.of("room", room, "key", UUID.randomUUID().toString(), "text", text)).getJsonObject("message").getLong("seq");
  }

  static Map<String, Object> with(long room, Object... fields) {
    Map<String, Object> map = new HashMap<>();
    map.put("room", room);
    for (int i = 0; i < fields.length; i += 2) {
      map.put((String) fields[i], fields[i + 1]);
    }
    return map;
  }

  @Test
  void everyModeratorRequestFromAParticipantIsForbiddenAndChangesNothing() {
    long room = newSession().getLong("roomId");
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      a.ok("join", Map.of("room", room));
      m.ok("join", Map.of("room", room));
      long seq = post(m, room, "Thema");
      long poll = m.ok("poll_create", with(room, "question", "Wann?", "options", List.of("Mo", "Di"))).getJsonObject("poll").getLong("id");
      long report = a.ok("report", with(room, "message", seq, "reason", "Test")).getLong("report");
      Map<String, Map<String, Object>> requests = new HashMap<>();
      requests.put("mod_state", with(room));
      requests.put("mod_floor_give", with(room, "participant", "u" + bobId));
      requests.put("mod_floor_take", with(room));
      requests.put("mod_hands_clear", with(room));
      requests.put("mod_floor_only", with(room, "on", true));
      requests.put("mod_mute", with(room, "participant", "u" + bobId, "seconds", 300));
      requests.put("mod_unmute", with(room, "participant", "u" + bobId));
      requests.put("mod_remove_participant", with(room, "participant", "u" + bobId));
      requests.put("mod_ban", with(room, "participant", "u" + bobId));
      requests.put("mod_unban", with(room, "participant", "u" + bobId));
      requests.put("mod_lobby_admit", with(room, "guest", 1));
      requests.put("mod_lobby_deny", with(room, "guest", 1));
      requests.put("mod_lobby_admit_all", with(room));
      requests.put("mod_promote", with(room, "participant", "u" + aliceId));
      requests.put("mod_demote", with(room, "participant", "u" + moderatorId));
      requests.put("mod_lock", with(room, "locked", true));
      requests.put("mod_slow_mode", with(room, "seconds", 30));
      requests.put("mod_hide_participants", with(room, "hidden", true));
      requests.put("mod_pin", with(room, "message", seq));
      requests.put("mod_unpin", with(room, "message", seq));
      requests.put("mod_remove_message", with(room, "message", seq));
      requests.put("mod_end_session", with(room));
      requests.put("mod_report_dismiss", with(room, "report", report));
      requests.put("mod_result", with(room, "message", seq, "result", true));
      requests.put("poll_create", with(room, "question", "Ob?", "options", List.of("ja", "nein")));
      requests.put("poll_close", with(room, "poll", poll));
      requests.put("poll_publish", with(room, "poll", poll));
      assertEquals(new TreeSet<>(ModerationSocketHandler.MODERATOR_TYPES), new TreeSet<>(requests.keySet()), "the table covers every moderator request");

      long seqBefore = server.sqlLong("SELECT last_seq FROM rooms WHERE id = $1", room);
      long logBefore = logCount(room);
      for (var request : requests.entrySet()) {
        JsonObject answer = a.request(request.getKey(), request.getValue());
        assertEquals("forbidden", answer.getString("code"), request.getKey() + " answered " + answer.encode());
      }
      assertEquals(seqBefore, server.sqlLong("SELECT last_seq FROM rooms WHERE id = $1", room));
      assertEquals(logBefore, logCount(room));
      assertEquals("ack", a.request("post", Map.of("room", room, "key", "still", "text", "nichts geändert")).getString("type"));
    }
  }

  @Test
  void everyModeratorActionWritesOneLogEntryThatCoordinatorsCanReadButNobodyCanChange() {
    JsonObject session = newSession();
    long room = session.getLong("roomId");
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice); WsClient b = WsClient.as(server, bob)) {
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      long seq = post(b, room, "Ein Beitrag");
      long other = post(b, room, "Noch einer");
      long report = a.ok("report", with(room, "message", other, "reason", "unpassend")).getLong("report");
      b.ok("hand_raise", Map.of("room", room));
      assertEquals(0, logCount(room), "participants' own actions are not moderator actions");

      List<Object[]> actions = List.of(
          new Object[] {"mod_lock", with(room, "locked", true), "lock"},
          new Object[] {"mod_lock", with(room, "locked", false), "unlock"},
          new Object[] {"mod_slow_mode", with(room, "seconds", 10), "slow_mode"},
          new Object[] {"mod_floor_only", with(room, "on", true), "floor_only"},
          new Object[] {"mod_hide_participants", with(room, "hidden", true), "hide_participants"},
          new Object[] {"mod_floor_give", with(room, "participant", "u" + bobId), "floor_give"},
          new Object[] {"mod_floor_take", with(room), "floor_take"},
          new Object[] {"mod_hands_clear", with(room), "hands_clear"},
          new Object[] {"mod_mute", with(room, "participant", "u" + bobId, "reason", "Pause"), "mute"},
          new Object[] {"mod_unmute", with(room, "participant", "u" + bobId), "unmute"},
          new Object[] {"mod_pin", with(room, "message", seq), "pin"},
          new Object[] {"mod_unpin", with(room, "message", seq), "unpin"},
          new Object[] {"mod_result", with(room, "message", seq, "result", true), "result_mark"},
          new Object[] {"mod_report_dismiss", with(room, "report", report), "report_dismiss"},
          new Object[] {"mod_remove_message", with(room, "message", other, "reason", "Ton"), "remove_message"},
          new Object[] {"poll_create", with(room, "question", "Ort?", "options", List.of("Bochum", "Essen")), "poll_create"},
          new Object[] {"mod_promote", with(room, "participant", "u" + aliceId), "promote"},
          new Object[] {"mod_demote", with(room, "participant", "u" + aliceId), "demote"},
          new Object[] {"mod_remove_participant", with(room, "participant", "u" + bobId), "remove_participant"},
          new Object[] {"mod_ban", with(room, "participant", "u" + bobId, "reason", "wiederholt"), "ban"},
          new Object[] {"mod_unban", with(room, "participant", "u" + bobId), "unban"},
          new Object[] {"mod_lobby_admit_all", with(room), "lobby_admit_all"},
          new Object[] {"mod_end_session", with(room), "end_session"});
      for (Object[] action : actions) {
        long before = logCount(room);
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) action[1];
        m.ok((String) action[0], fields);
        assertEquals(before + 1, logCount(room), action[0] + " writes exactly one entry");
      }
      m.ok("mod_state", with(room));
      assertEquals(actions.size(), logCount(room), "reading the state is not logged");

      JsonObject page = coordinator.get("/api/rooms/" + room + "/moderation-log?limit=200").json();
      JsonArray items = page.getJsonArray("items");
      assertEquals(actions.size(), items.size());
      JsonObject ban = items.getJsonObject(3);
      assertEquals("ban", ban.getString("action"));
      assertEquals("u" + moderatorId, ban.getJsonObject("actor").getString("key"));
      assertEquals("Bob", ban.getJsonObject("target").getString("name"));
      assertEquals("wiederholt", ban.getString("reason"));
      assertNotNull(ban.getString("at"));
      assertEquals("forbidden", moderator.get("/api/rooms/" + room + "/moderation-log").errorCode(), "the log is for coordinators and admins");
      assertEquals("forbidden", alice.get("/api/rooms/" + room + "/moderation-log").errorCode());
      JsonObject older = coordinator.get("/api/rooms/" + room + "/moderation-log?limit=5&before=" + items.getJsonObject(4).getLong("id")).json();
      assertEquals(items.getJsonObject(5).getLong("id"), older.getJsonArray("items").getJsonObject(0).getLong("id"));
      assertTrue(older.getBoolean("hasMore"));

      assertThrows(RuntimeException.class, () -> server.sql("UPDATE moderation_log SET reason = 'geschönt' WHERE room_id = $1", room));
      assertThrows(RuntimeException.class, () -> server.sql("DELETE FROM moderation_log WHERE room_id = $1", room));
      assertEquals(actions.size(), logCount(room));
    }
  }

  @Test
  void pollVotesCountOnceAndNotAfterClosingAndResultsReachEveryoneWhenPublished() {
    long room = newSession().getLong("roomId");
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice); WsClient b = WsClient.as(server, bob)) {
      m.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      assertEquals("invalid_field", m.request("poll_create", with(room, "question", "Nur eine?", "options", List.of("a"))).getString("code"));
      assertEquals("invalid_field", m.request("poll_create", with(room, "question", "Zu viele?", "options",
          List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"))).getString("code"));
      assertEquals("missing_field", m.request("poll_create", with(room, "question", " ", "options", List.of("a", "b"))).getString("code"));

      long poll = m.ok("poll_create", with(room, "question", "Welches Verkehrsmittel?", "options", List.of("Rad", "Bus", "Bahn")))
          .getJsonObject("poll").getLong("id");
      JsonObject created = a.next(f -> "poll".equals(f.getString("kind")));
      assertEquals("Welches Verkehrsmittel?", created.getJsonObject("poll").getString("question"));
      assertNull(created.getJsonObject("poll").getJsonObject("results"), "results are not public yet");

      a.ok("poll_vote", with(room, "poll", poll, "choices", List.of(0)));
      JsonObject live = m.next(f -> "poll_results".equals(f.getString("kind")));
      assertEquals(List.of(1, 0, 0), live.getJsonObject("results").getJsonArray("counts").getList());
      assertEquals("[[\"Alice\"],[],[]]", live.getJsonObject("results").getJsonArray("names").encode());
      a.ok("poll_vote", with(room, "poll", poll, "choices", List.of(1)));
      JsonObject changed = m.next(f -> "poll_results".equals(f.getString("kind")));
      assertEquals(1, changed.getJsonObject("results").getInteger("voters"), "a second vote replaces the first");
      assertEquals(List.of(0, 1, 0), changed.getJsonObject("results").getJsonArray("counts").getList());
      assertEquals(1, server.sqlLong("SELECT count(*) FROM poll_votes WHERE poll_id = $1", poll));
      assertEquals("invalid_field", b.request("poll_vote", with(room, "poll", poll, "choices", List.of(0, 1))).getString("code"));
      assertEquals("invalid_field", b.request("poll_vote", with(room, "poll", poll, "choices", List.of(7))).getString("code"));
      assertEquals("unknown_poll", b.request("poll_vote", with(room, "poll", 999_999, "choices", List.of(0))).getString("code"));
      b.ok("poll_vote", with(room, "poll", poll, "choices", List.of(2)));
      assertNull(a.next(f -> "poll_results".equals(f.getString("kind")), 300), "participants do not see live results");
      JsonObject listed = a.ok("poll_list", with(room)).getJsonArray("polls").getJsonObject(0);
      assertNull(listed.getJsonObject("results"));
      assertEquals(List.of(1), listed.getJsonArray("myChoices").getList());

      m.ok("poll_close", with(room, "poll", poll));
      assertTrue(b.next(f -> "poll".equals(f.getString("kind")) && f.getJsonObject("poll").getBoolean("closed")) != null);
      assertEquals("poll_closed", a.request("poll_vote", with(room, "poll", poll, "choices", List.of(0))).getString("code"));
      assertEquals("poll_closed", m.request("poll_close", with(room, "poll", poll)).getString("code"));
      m.ok("poll_publish", with(room, "poll", poll));
      JsonObject published = a.next(f -> "poll".equals(f.getString("kind")) && f.getJsonObject("poll").getBoolean("published"));
      assertEquals(List.of(0, 1, 1), published.getJsonObject("poll").getJsonObject("results").getJsonArray("counts").getList());

      long timed = m.ok("poll_create", with(room, "question", "Schnell?", "options", List.of("ja", "nein"), "seconds", 60,
          "multiple", true, "anonymous", true)).getJsonObject("poll").getLong("id");
      a.ok("poll_vote", with(room, "poll", timed, "choices", List.of(0, 1)));
      JsonObject anonymous = m.next(f -> "poll_results".equals(f.getString("kind")) && f.getLong("poll") == timed);
      assertFalse(anonymous.getJsonObject("results").containsKey("names"), "anonymous polls never name voters");
      server.sql("UPDATE polls SET closes_at = now() WHERE id = $1", timed);
      assertEquals("poll_closed", b.request("poll_vote", with(room, "poll", timed, "choices", List.of(0))).getString("code"));

      // A poll with a short time limit: everyone is told when it closes by itself.
      long quick = m.ok("poll_create", with(room, "question", "Gleich vorbei?", "options", List.of("ja", "nein"), "seconds", 10))
          .getJsonObject("poll").getLong("id");
      JsonObject over = b.next(f -> "poll_closed".equals(f.getString("kind")) && f.getLong("poll") == quick, 15_000);
      assertTrue(over.getBoolean("expired"), over.encode());
      assertEquals("poll_closed", b.request("poll_vote", with(room, "poll", quick, "choices", List.of(0))).getString("code"));
    }
  }

  @Test
  void reportsGoToTheReviewQueueOfModeratorsAndCoordinators() {
    long room = newSession().getLong("roomId");
    try (WsClient m = WsClient.as(server, moderator); WsClient c = WsClient.as(server, coordinator);
         WsClient a = WsClient.as(server, alice); WsClient b = WsClient.as(server, bob)) {
      m.ok("join", Map.of("room", room));
      c.ok("join", Map.of("room", room));
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      long seq = post(b, room, "Grenzwertig");
      assertEquals("missing_field", a.request("report", with(room, "message", seq)).getString("code"));
      long report = a.ok("report", with(room, "message", seq, "reason", "beleidigend")).getLong("report");
      assertEquals("already_reported", a.request("report", with(room, "message", seq, "reason", "nochmal")).getString("code"));
      assertEquals("beleidigend", m.next(f -> "report".equals(f.getString("kind"))).getJsonObject("report").getString("reason"));
      assertEquals(report, c.next(f -> "report".equals(f.getString("kind"))).getJsonObject("report").getLong("id"));
      assertNull(b.next(f -> "report".equals(f.getString("kind")), 300), "participants do not see reports");
      assertEquals(1, c.ok("mod_state", with(room)).getJsonArray("reports").size());

      m.ok("mod_report_dismiss", with(room, "report", report));
      assertTrue(c.ok("mod_state", with(room)).getJsonArray("reports").isEmpty());
      assertEquals("unknown_report", m.request("mod_report_dismiss", with(room, "report", report)).getString("code"));

      long again = b.ok("report", with(room, "message", seq, "reason", "doch entfernen")).getLong("report");
      assertEquals(List.of(again), c.ok("mod_remove_message", with(room, "message", seq)).getJsonArray("reports").getList().stream()
          .map(o -> ((Number) o).longValue()).toList());
      assertEquals("removed", server.pool().preparedQuery("SELECT status FROM reports WHERE id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(again)).await().iterator().next().getString(0));
    }
  }

  @Test
  void hiddenParticipantListShowsParticipantsOnlyTheModeratorsAndThemselves() {
    long room = newSession().getLong("roomId");
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice); WsClient b = WsClient.as(server, bob)) {
      m.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      m.ok("mod_hide_participants", with(room, "hidden", true));
      JsonObject joined = a.ok("join", Map.of("room", room));
      assertTrue(joined.getJsonObject("moderation").getJsonObject("state").getBoolean("hideParticipants"));
      List<String> seen = joined.getJsonArray("presence").stream().map(o -> ((JsonObject) o).getString("key")).toList();
      assertFalse(seen.contains("u" + bobId), "Bob is hidden from Alice: " + seen);
      assertTrue(seen.contains("u" + moderatorId));
      JsonObject full = m.next(f -> "presence".equals(f.getString("type")) && f.getJsonArray("members").size() == 3);
      assertNotNull(full, "moderators see everyone");
      // Raised hands would name the hidden: others see only how many, and their own.
      b.ok("hand_raise", with(room));
      JsonObject forAlice = a.next(f -> "room_state".equals(f.getString("kind")) && f.getJsonObject("state").getInteger("handCount", 0) == 1, 5_000)
          .getJsonObject("state");
      assertEquals(0, forAlice.getJsonArray("hands").size(), forAlice.encode());
      assertEquals(1, forAlice.getInteger("handCount"));
      JsonObject forBob = b.next(f -> "room_state".equals(f.getString("kind")) && f.getJsonObject("state").getInteger("handCount", 0) == 1, 5_000)
          .getJsonObject("state");
      assertEquals("u" + bobId, forBob.getJsonArray("hands").getJsonObject(0).getString("key"));
      assertEquals(1, forBob.getInteger("handPlace"));
      JsonObject forModerator = m.next(f -> "room_state".equals(f.getString("kind")) && !f.getJsonObject("state").getJsonArray("hands").isEmpty(), 5_000)
          .getJsonObject("state");
      assertEquals("u" + bobId, forModerator.getJsonArray("hands").getJsonObject(0).getString("key"));
      try (WsClient late = WsClient.as(server, alice)) {
        JsonObject state = late.ok("join", Map.of("room", room)).getJsonObject("moderation").getJsonObject("state");
        assertEquals(0, state.getJsonArray("hands").size());
        assertEquals(1, state.getInteger("handCount"));
        // Replayed on resume, the same.
        late.ok("join", Map.of("room", room, "since", 0));
        assertNull(late.next(f -> "room_state".equals(f.getString("kind")) && f.getJsonObject("state").getBoolean("hideParticipants")
            && !f.getJsonObject("state").getJsonArray("hands").isEmpty(), 500), "no replayed state names Bob");
      }
      m.ok("mod_hide_participants", with(room, "hidden", false));
      assertNotNull(a.next(f -> "presence".equals(f.getString("type")) && f.getJsonArray("members").size() == 3));
    }
  }

  @Test
  void moderationStateSurvivesARestart() {
    long room = newSession().getLong("roomId");
    try (WsClient m = WsClient.as(server, moderator); WsClient a = WsClient.as(server, alice)) {
      a.ok("join", Map.of("room", room));
      a.ok("hand_raise", Map.of("room", room));
      m.ok("mod_floor_give", with(room, "participant", "u" + bobId));
      m.ok("mod_slow_mode", with(room, "seconds", 60));
      m.ok("mod_mute", with(room, "participant", "u" + aliceId, "reason", "Ruhe"));
    }
    server.restart();
    try (WsClient a = WsClient.as(server, alice)) {
      JsonObject moderation = a.ok("join", Map.of("room", room)).getJsonObject("moderation");
      JsonObject state = moderation.getJsonObject("state");
      assertEquals("u" + bobId, state.getJsonObject("floor").getString("key"));
      assertEquals(60, state.getInteger("slowModeSeconds"));
      assertEquals("u" + aliceId, state.getJsonArray("hands").getJsonObject(0).getString("key"));
      assertEquals("Ruhe", moderation.getJsonObject("you").getJsonObject("muted").getString("reason"));
      assertTrue(moderation.getJsonObject("you").getBoolean("handRaised"));
      assertEquals("muted", a.request("post", Map.of("room", room, "key", "r", "text", "nach dem Neustart")).getString("code"));
    }
  }
}
