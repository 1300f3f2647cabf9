package de.werkraum.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.profile.ProfileSocketHandler;
import de.werkraum.room.ModerationSocketHandler;
import de.werkraum.room.RoomSocketHandler;
import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import de.werkraum.web.WriteLimits.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of write a participant can make over the socket has a limit: past it the request is refused
 * with {@code rate_limited} and nothing more is stored or relayed. The server runs with small bursts that
 * never refill, so the test counts refusals instead of timing anything.
 */
class WriteLimitsProtocolTest {

  static final int BURST = 3;
  static final int ROOM_EVENTS = 8;
  static final String PASSWORD = "Gasometer-Oberhausen-1929";
  static final List<String> EMOJIS = List.of("👍", "❤️", "😀", "🎉", "🤔", "👏");

  static TestPlatform server;
  static long space;
  static long annaId;
  static long benId;
  static ApiClient anna;
  static ApiClient ben;
  static ApiClient coordinator;

  @BeforeAll
  static void start() {
    StringBuilder limits = new StringBuilder("room_events=" + ROOM_EVENTS + "/0");
    for (Kind kind : Kind.values()) {
      if (kind != Kind.ROOM_EVENTS) {
        limits.append(',').append(kind.wireName()).append('=').append(BURST).append("/0");
      }
    }
    server = TestPlatform.start(Map.of("WERKRAUM_WRITE_LIMITS", limits.toString()));
    space = server.createSpace("Grenzwerte");
    annaId = server.createUser("anna@limits.de", PASSWORD, "Anna", false);
    benId = server.createUser("ben@limits.de", PASSWORD, "Ben", false);
    long coordId = server.createUser("koord@limits.de", PASSWORD, "Koordination", false);
    server.addToSpace(space, annaId, "member");
    server.addToSpace(space, benId, "member");
    server.addToSpace(space, coordId, "coordinator");
    anna = server.loggedIn("anna@limits.de", PASSWORD);
    ben = server.loggedIn("ben@limits.de", PASSWORD);
    coordinator = server.loggedIn("koord@limits.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** One kind of write, arranged: the i-th request of the burst, and what it changed (stored or relayed). */
  record Case(String type, IntFunction<Map<String, Object>> request, LongSupplier effect) {}

  /** Arranges a case on fresh rooms or profiles; Anna writes, Ben watches. */
  interface Arrange {
    Case on(WsClient anna, WsClient ben);
  }

  static long newRoom() {
    return server.sqlLong("INSERT INTO rooms (space_id, name, kind) VALUES ($1, 'Grenze', 'standing') RETURNING id", space);
  }

  /** n messages by the given user, stored directly (as if posted earlier). */
  static void seed(long room, long userId, int n) {
    server.sql("""
        WITH bump AS (UPDATE rooms SET last_seq = last_seq + $3::int WHERE id = $1 RETURNING last_seq)
        INSERT INTO messages (room_id, seq, author, user_id, author_name, client_key, body)
        SELECT $1, bump.last_seq - $3::int + n, 'u' || $2::bigint, $2::bigint, 'Saat', 'seed' || n, 'Saat ' || n
        FROM generate_series(1, $3::int) n, bump""",
        room, userId, n);
  }

  static long newProfile() {
    ApiClient.Response r = anna.post("/api/spaces/" + space + "/profiles", Map.of());
    assertEquals(201, r.status(), r.body());
    return r.json().getLong("id");
  }

  static Map<String, Object> fields(Object... kv) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put((String) kv[i], kv[i + 1]);
    }
    return map;
  }

  static long count(String sql, Object... params) {
    return server.sqlLong(sql, params);
  }

  /** Every kind a participant can send; a new kind without a row here fails the test. */
  static Map<Kind, Arrange> table() {
    Map<Kind, Arrange> t = new EnumMap<>(Kind.class);
    t.put(Kind.POST, (a, b) -> {
      long room = newRoom();
      a.ok("join", fields("room", room));
      return new Case("post", i -> fields("room", room, "key", "k" + i, "text", "Beitrag " + i),
          () -> count("SELECT count(*) FROM messages WHERE room_id = $1", room));
    });
    t.put(Kind.EDIT, (a, b) -> {
      long room = newRoom();
      seed(room, annaId, 1);
      a.ok("join", fields("room", room));
      return new Case("edit", i -> fields("room", room, "message", 1, "text", "Fassung " + i),
          () -> count("SELECT count(*) FROM message_edits WHERE room_id = $1", room));
    });
    t.put(Kind.DELETE, (a, b) -> {
      long room = newRoom();
      seed(room, annaId, BURST + 2);
      a.ok("join", fields("room", room));
      return new Case("delete", i -> fields("room", room, "message", i + 1),
          () -> count("SELECT count(*) FROM messages WHERE room_id = $1 AND deleted_at IS NOT NULL", room));
    });
    t.put(Kind.REACT, (a, b) -> {
      long room = newRoom();
      seed(room, benId, 1);
      a.ok("join", fields("room", room));
      return new Case("react", i -> fields("room", room, "message", 1, "emoji", EMOJIS.get(i)),
          () -> count("SELECT count(*) FROM reactions WHERE room_id = $1", room));
    });
    t.put(Kind.HAND, (a, b) -> {
      long room = newRoom();
      a.ok("join", fields("room", room));
      // Raise, lower, raise, …: each change is a numbered event.
      return new Case("hand_raise", i -> fields("room", room, "type", i % 2 == 0 ? "hand_raise" : "hand_lower"),
          () -> count("SELECT last_seq FROM rooms WHERE id = $1", room));
    });
    t.put(Kind.TYPING, (a, b) -> {
      long room = newRoom();
      a.ok("join", fields("room", room));
      b.ok("join", fields("room", room));
      String key = "u" + annaId;
      return new Case("typing", i -> fields("room", room), () -> b.drain(f -> "typing".equals(f.getString("type"))
          && f.getLong("room") == room && key.equals(f.getJsonObject("participant").getString("key")), 1_500).size());
    });
    t.put(Kind.POLL_VOTE, (a, b) -> {
      long room = newRoom();
      long poll;
      try (WsClient c = WsClient.as(server, coordinator)) {
        poll = c.ok("poll_create", fields("room", room, "question", "Welcher Tag?",
            "options", List.of("Mo", "Di", "Mi", "Do", "Fr"))).getJsonObject("poll").getLong("id");
      }
      // The i-th vote chooses option i: the stored vote says which was the last one taken.
      return new Case("poll_vote", i -> fields("room", room, "poll", poll, "choices", List.of(i)),
          () -> 1 + count("SELECT coalesce(max(choices[1]), -1) FROM poll_votes WHERE poll_id = $1", poll));
    });
    t.put(Kind.REPORT, (a, b) -> {
      long room = newRoom();
      seed(room, benId, BURST + 2);
      return new Case("report", i -> fields("room", room, "message", i + 1, "reason", "Bitte prüfen"),
          () -> count("SELECT count(*) FROM reports WHERE room_id = $1", room));
    });
    t.put(Kind.PROFILE_SUBMIT, (a, b) -> {
      long profile = newProfile();
      long version = a.ok("profile_open", fields("profile", profile)).getLong("version");
      return new Case("profile_submit", i -> fields("profile", profile, "field", "summary", "delta",
          new JsonArray().add(new JsonObject().put("insert", "x")), "baseVersion", version, "client", "grenze", "seq", i + 1),
          () -> count("SELECT count(*) FROM profile_ops WHERE profile_id = $1", profile));
    });
    t.put(Kind.PROFILE_CURSOR, (a, b) -> {
      long profile = newProfile();
      long version = a.ok("profile_open", fields("profile", profile)).getLong("version");
      b.ok("profile_open", fields("profile", profile));
      String key = "u" + annaId;
      // The i-th move goes to index i: the highest index Ben hears of says how many were relayed.
      return new Case("profile_cursor", i -> fields("profile", profile, "field", "summary", "index", i, "length", 0, "version", version),
          () -> {
            long relayed = 0;
            for (JsonObject frame : b.drain(f -> "profile_cursors".equals(f.getString("type")) && f.getLong("profile") == profile, 1_500)) {
              for (Object o : frame.getJsonArray("cursors")) {
                JsonObject entry = (JsonObject) o;
                if (key.equals(entry.getJsonObject("participant").getString("key"))) {
                  relayed = Math.max(relayed, entry.getLong("index") + 1);
                }
              }
            }
            return relayed;
          });
    });
    return t;
  }

  @Test
  void everyKindOfWriteIsRefusedPastItsLimitAndNothingMoreIsStoredOrRelayed() {
    Map<Kind, Arrange> table = table();
    EnumSet<Kind> requestKinds = EnumSet.allOf(Kind.class);
    requestKinds.remove(Kind.ROOM_EVENTS);
    assertEquals(requestKinds, table.keySet(), "every kind of write has a row");
    Set<String> sent = new HashSet<>();
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben)) {
      for (Map.Entry<Kind, Arrange> row : table.entrySet()) {
        Kind kind = row.getKey();
        Case c = row.getValue().on(a, b);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < BURST + 2; i++) {
          Map<String, Object> request = c.request().apply(i);
          String type = (String) request.getOrDefault("type", c.type());
          request.remove("type");
          sent.add(type);
          JsonObject answer = a.request(type, request);
          if ("ack".equals(answer.getString("type"))) {
            answers.add("ack");
          } else {
            answers.add(answer.getString("code"));
            if ("rate_limited".equals(answer.getString("code"))) {
              JsonObject details = answer.getJsonObject("details");
              assertNotNull(details, kind + ": details");
              assertEquals(kind.wireName(), details.getString("kind"), kind + ": " + answer.encode());
              assertEquals(BURST, details.getInteger("burst"), kind + ": " + answer.encode());
            }
          }
        }
        assertEquals(List.of("ack", "ack", "ack", "rate_limited", "rate_limited"), answers, kind.toString());
        assertEquals(BURST, c.effect().getAsLong(), kind + ": stored or relayed");
        assertEquals("ack", a.request("ping", Map.of()).getString("type"), kind + ": the connection stays open");
      }
    }
    assertEquals(writeTypes(), sent, "every request that writes is limited and in the table");
  }

  /**
   * Every request type of the socket handlers, less the reads, the moderators' requests and the requests
   * that change only the sender's own state: what remains must be limited (and so in the table).
   */
  static Set<String> writeTypes() {
    Set<String> all = new HashSet<>();
    all.addAll(new RoomSocketHandler(null, null, null, null).types());
    all.addAll(new ModerationSocketHandler(null, null, null).types());
    all.addAll(new ProfileSocketHandler(null, null, null, null, null).types());
    all.removeAll(ModerationSocketHandler.MODERATOR_TYPES);
    // Reads, and "read" (the sender's own unread marker), "leave" and "*_close" (the sender's own subscriptions).
    all.removeAll(Set.of("join", "leave", "history", "thread", "edits", "read", "poll_list", "profile_open", "profile_close"));
    return all;
  }

  @Test
  void aResendOfAStoredPostIsADuplicateEvenOverTheLimitAndDoesNotCount() {
    long room = newRoom();
    try (WsClient a = WsClient.as(server, anna)) {
      a.ok("join", fields("room", room));
      long first = a.ok("post", fields("room", room, "key", "eins", "text", "Erster")).getJsonObject("message").getLong("seq");
      for (int i = 0; i < 2; i++) {
        JsonObject again = a.ok("post", fields("room", room, "key", "eins", "text", "Erster"));
        assertTrue(again.getBoolean("duplicate"));
        assertEquals(first, again.getJsonObject("message").getLong("seq"));
      }
      // The two resends took nothing from the burst: two more new posts go through.
      a.ok("post", fields("room", room, "key", "zwei", "text", "Zweiter"));
      long third = a.ok("post", fields("room", room, "key", "drei", "text", "Dritter")).getJsonObject("message").getLong("seq");
      assertEquals("rate_limited", a.request("post", fields("room", room, "key", "vier", "text", "Vierter")).getString("code"));
      // Over the limit, a resend (after a lost ack) still gets its message back.
      JsonObject resent = a.ok("post", fields("room", room, "key", "drei", "text", "Dritter"));
      assertTrue(resent.getBoolean("duplicate"));
      assertEquals(third, resent.getJsonObject("message").getLong("seq"));
      assertEquals("Dritter", resent.getJsonObject("message").getString("text"));
      assertEquals(3, count("SELECT count(*) FROM messages WHERE room_id = $1", room));
    }
  }

  @Test
  void aResubmitOfACommittedProfileEditIsADuplicateEvenOverTheLimitAndDoesNotCount() {
    long profile = newProfile();
    try (WsClient a = WsClient.as(server, anna)) {
      long base = a.ok("profile_open", fields("profile", profile)).getLong("version");
      IntFunction<Map<String, Object>> submit = seq -> fields("profile", profile, "field", "goals",
          "delta", new JsonArray().add(new JsonObject().put("insert", "z" + seq)), "baseVersion", base, "client", "wieder", "seq", seq);
      long first = a.ok("profile_submit", submit.apply(1)).getLong("version");
      for (int i = 0; i < 2; i++) {
        JsonObject again = a.ok("profile_submit", submit.apply(1));
        assertTrue(again.getBoolean("duplicate"));
        assertEquals(first, again.getLong("version"));
      }
      a.ok("profile_submit", submit.apply(2));
      long third = a.ok("profile_submit", submit.apply(3)).getLong("version");
      assertEquals("rate_limited", a.request("profile_submit", submit.apply(4)).getString("code"));
      JsonObject resent = a.ok("profile_submit", submit.apply(3));
      assertTrue(resent.getBoolean("duplicate"));
      assertEquals(third, resent.getLong("version"));
      assertEquals(3, count("SELECT count(*) FROM profile_ops WHERE profile_id = $1", profile));
    }
  }

  @Test
  void everyoneInARoomTogetherHasALimitOnNumberedEvents() {
    long room = newRoom();
    seed(room, benId, 1);
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben)) {
      a.ok("join", fields("room", room));
      b.ok("join", fields("room", room));
      for (int i = 0; i < BURST; i++) {
        a.ok("post", fields("room", room, "key", "a" + i, "text", "Anna " + i));
        a.ok("react", fields("room", room, "message", 1, "emoji", EMOJIS.get(i)));
      }
      b.ok("post", fields("room", room, "key", "b0", "text", "Ben 0"));
      b.ok("post", fields("room", room, "key", "b1", "text", "Ben 1"));
      // Ben has a post left of his own, but the room has had its 8 events.
      JsonObject refused = b.request("post", fields("room", room, "key", "b2", "text", "Ben 2"));
      assertEquals("rate_limited", refused.getString("code"));
      assertEquals("room_events", refused.getJsonObject("details").getString("kind"));
      assertEquals("rate_limited", b.request("react", fields("room", room, "message", 1, "emoji", "👏")).getString("code"));
      assertEquals("rate_limited", b.request("hand_raise", fields("room", room)).getString("code"));
      assertEquals("ack", b.request("typing", fields("room", room)).getString("type"), "typing is not a numbered event");
      assertTrue(b.ok("post", fields("room", room, "key", "b1", "text", "Ben 1")).getBoolean("duplicate"));
      assertEquals(1 + ROOM_EVENTS, count("SELECT last_seq FROM rooms WHERE id = $1", room));
    }
  }
}
