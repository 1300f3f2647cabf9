package de.werkraum.web.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every way a right ends × every kind of live delivery: after the change, a socket that lost the right gets
 * its notice ({@code access_ended}) or its close ({@code 1008}) and then nothing more of what it lost, while
 * a still-entitled socket sees one more of each delivery. Both tables must grow with the code.
 */
class EndedRightsTest {

  static final String PASSWORD = "Gasometer-Oberhausen-1929";
  static final String NEW_PASSWORD = "Schurenbachhalde-Essen-1998";

  static TestPlatform server;
  static ApiClient coordinator;
  static ApiClient alice;
  static ApiClient admin;
  static long space;
  static long standingRoom;
  static long profile;
  static long aliceId;
  static final AtomicInteger scenes = new AtomicInteger();

  /** The kinds of live delivery a socket gets in a room or a profile. */
  enum Delivery { ROOM_EVENTS, MODERATION_NOTICES, PRESENCE, TYPING, PROFILE_OPS, CURSORS, PROFILE_PRESENCE, PROFILE_META }

  static final Set<Delivery> ROOM = EnumSet.of(Delivery.ROOM_EVENTS, Delivery.MODERATION_NOTICES, Delivery.PRESENCE, Delivery.TYPING);
  static final Set<Delivery> ALL = EnumSet.allOf(Delivery.class);

  /** Where the victim is: a standing room of the space, a restricted one, or a running session's room as a guest. */
  enum Place { STANDING_ROOM, RESTRICTED_ROOM, RESTRICTED_ROOM_AS_COORDINATOR, SESSION_ROOM_AS_GUEST }

  /**
   * One way a right ends. {@code before} runs before the victim connects, {@code change} after it is in;
   * {@code closes}: its socket closes with 1008, else it gets {@code access_ended} with {@code reason} for
   * the room, and for the profile too when {@code lost} includes profile deliveries.
   */
  record Ending(String name, Place place, Set<Delivery> lost, Consumer<Scene> before, Consumer<Scene> change, boolean closes,
      String reason) {}

  static final List<Ending> ENDINGS = List.of(
      new Ending("logout", Place.STANDING_ROOM, ALL, s -> { },
          s -> assertEquals(204, s.victim.post("/api/auth/logout", null).status()), true, null),
      new Ending("password changed in another session", Place.STANDING_ROOM, ALL, s -> { },
          s -> assertEquals(204, server.loggedIn(s.victimEmail, PASSWORD).put("/api/me/password",
              Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)).status()), true, null),
      new Ending("idle limit passed", Place.STANDING_ROOM, ALL,
          s -> server.sql("UPDATE login_sessions SET last_seen_at = now() - make_interval(mins => $2) + interval '3 seconds'"
              + " WHERE user_id = $1", s.victimId, (int) server.config.sessionIdle().toMinutes()),
          s -> { }, true, null),
      new Ending("absolute lifetime passed", Place.STANDING_ROOM, ALL,
          s -> server.sql("UPDATE login_sessions SET expires_at = now() + interval '3 seconds' WHERE user_id = $1", s.victimId),
          s -> { }, true, null),
      new Ending("account deactivated", Place.STANDING_ROOM, ALL, s -> { },
          s -> assertEquals(200, admin.post("/api/admin/users/" + s.victimId + "/deactivate", null).status()), true, null),
      new Ending("removed from the space", Place.STANDING_ROOM, ALL, s -> { },
          s -> assertEquals(204, coordinator.delete("/api/spaces/" + space + "/members/" + s.victimId).status()), false,
          "space_membership_ended"),
      new Ending("taken off a restricted room's list", Place.RESTRICTED_ROOM, ROOM, s -> { },
          s -> assertEquals(200, coordinator.put("/api/rooms/" + s.room, Map.of("name", "Vertraulich", "restricted", true,
              "members", List.of(aliceId), "version", s.roomVersion)).status()), false, "room_access_changed"),
      new Ending("coordinator made a member, not on a restricted room's list", Place.RESTRICTED_ROOM_AS_COORDINATOR, ROOM, s -> { },
          s -> assertEquals(200, admin.put("/api/spaces/" + space + "/members/" + s.victimId, Map.of("role", "member")).status()),
          false, "role_changed"),
      new Ending("banned from the room", Place.STANDING_ROOM, ROOM, s -> { },
          s -> s.watcher.ok("mod_ban", Map.of("room", s.room, "participant", s.victimKey)), false, "banned"),
      new Ending("removed from the room by a moderator", Place.STANDING_ROOM, ROOM, s -> { },
          s -> s.watcher.ok("mod_remove_participant", Map.of("room", s.room, "participant", s.victimKey)), false, "removed"),
      new Ending("guest whose session a moderator ended", Place.SESSION_ROOM_AS_GUEST, ROOM, s -> { },
          s -> s.watcher.ok("mod_end_session", Map.of("room", s.room)), false, "session_ended"),
      new Ending("guest whose session ran out", Place.SESSION_ROOM_AS_GUEST, ROOM,
          s -> server.sql("UPDATE sessions SET ends_at = now() + interval '3 seconds' WHERE room_id = $1", s.room),
          s -> { }, true, null));

  /** What makes one more of each delivery happen, and how the still-entitled watcher recognises it. */
  static final Map<Delivery, Consumer<Scene>> STIMULI = Map.of(
      Delivery.ROOM_EVENTS, s -> {
        s.watcher.ok("mod_result", Map.of("room", s.room, "message", s.actorMessage, "result", true));
        s.watch(f -> "event".equals(f.getString("type")) && "result".equals(f.getString("kind")));
      },
      Delivery.MODERATION_NOTICES, s -> {
        // Removing the victim's own message sends its author a notice (and moderators one).
        s.watcher.ok("mod_remove_message", Map.of("room", s.room, "message", s.victimMessage));
        s.watch(f -> "moderation".equals(f.getString("type")) && "message_removed".equals(f.getString("kind")));
      },
      Delivery.PRESENCE, s -> {
        // Leaving and coming back, each seen before the next (changes close together may be sent as one list).
        s.actor.ok("leave", Map.of("room", s.room));
        s.watch(f -> "presence".equals(f.getString("type")) && !has(f.getJsonArray("members"), aliceKey()));
        s.actor.ok("join", Map.of("room", s.room));
        s.watch(f -> "presence".equals(f.getString("type")) && has(f.getJsonArray("members"), aliceKey()));
      },
      Delivery.TYPING, s -> {
        s.actor.ok("typing", Map.of("room", s.room));
        s.watch(f -> "typing".equals(f.getString("type")));
      },
      Delivery.PROFILE_OPS, s -> {
        s.actor.ok("profile_submit", Map.of("profile", profile, "field", "summary", "delta",
            new JsonArray().add(new JsonObject().put("insert", "Nachher ")), "baseVersion", 0, "client", "actor-" + s.number, "seq", 1));
        s.watch(f -> "profile_ops".equals(f.getString("type")));
      },
      Delivery.CURSORS, s -> {
        s.actor.ok("profile_cursor", Map.of("profile", profile, "field", "summary", "index", 0, "version", 0));
        s.watch(f -> "profile_cursors".equals(f.getString("type")));
      },
      Delivery.PROFILE_PRESENCE, s -> {
        s.actor.ok("profile_close", Map.of("profile", profile));
        s.watch(f -> "profile_presence".equals(f.getString("type")) && !has(f.getJsonArray("editors"), aliceKey()));
        s.actor.ok("profile_open", Map.of("profile", profile));
        s.watch(f -> "profile_presence".equals(f.getString("type")) && has(f.getJsonArray("editors"), aliceKey()));
      },
      Delivery.PROFILE_META, s -> {
        int metaVersion = alice.get("/api/profiles/" + profile).json().getInteger("metaVersion");
        assertEquals(200, alice.patch("/api/profiles/" + profile, Map.of("tags", List.of("Runde" + s.number),
            "metaVersion", metaVersion)).status());
        s.watch(f -> "profile_meta".equals(f.getString("type")));
      });

  static String aliceKey() {
    return "u" + aliceId;
  }

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Rechte");
    long coord = server.createUser("coord@rights.de", PASSWORD, "Wache", false);
    aliceId = server.createUser("alice@rights.de", PASSWORD, "Alice", false);
    server.createUser("admin@rights.de", PASSWORD, "Admin", true);
    server.addToSpace(space, coord, "coordinator");
    server.addToSpace(space, aliceId, "member");
    coordinator = server.loggedIn("coord@rights.de", PASSWORD);
    alice = server.loggedIn("alice@rights.de", PASSWORD);
    admin = server.loggedIn("admin@rights.de", PASSWORD);
    standingRoom = coordinator.post("/api/spaces/" + space + "/rooms", Map.of("name", "Allgemein")).json().getLong("id");
    profile = coordinator.post("/api/spaces/" + space + "/profiles", Map.of()).json().getLong("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyDeliveryHasAStimulus() {
    assertEquals(EnumSet.allOf(Delivery.class), STIMULI.keySet());
  }

  @TestFactory
  Stream<DynamicTest> afterARightEndsNothingOfItArrives() {
    return ENDINGS.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> run(e)));
  }

  /**
   * A coordinator made a member keeps an open room but not the moderators' notices (their role on the open
   * socket follows the change); everyone held during the re-check gets what was held, and no access_ended.
   */
  @Test
  void coordinatorMadeMemberNoLongerGetsModeratorsNotices() {
    String email = "demoted@rights.de";
    long id = server.createUser(email, PASSWORD, "Herabgestuft", false);
    server.addToSpace(space, id, "coordinator");
    ApiClient demoted = server.loggedIn(email, PASSWORD);
    try (WsClient socket = WsClient.as(server, demoted); WsClient watcher = WsClient.as(server, coordinator);
        WsClient actor = WsClient.as(server, alice)) {
      assertEquals("coordinator", socket.ok("join", Map.of("room", standingRoom)).getString("role"));
      watcher.ok("join", Map.of("room", standingRoom));
      actor.ok("join", Map.of("room", standingRoom));
      long first = actor.ok("post", Map.of("room", standingRoom, "key", "melden-1", "text", "Bitte prüfen")).getJsonObject("message").getLong("seq");
      actor.ok("report", Map.of("room", standingRoom, "message", first, "reason", "vorher"));
      assertNotNull(socket.next(f -> "moderation".equals(f.getString("type")) && "report".equals(f.getString("kind"))),
          "as a coordinator it gets reports");
      assertEquals(200, admin.put("/api/spaces/" + space + "/members/" + id, Map.of("role", "member")).status());
      long second = actor.ok("post", Map.of("room", standingRoom, "key", "melden-2", "text", "Noch einmal")).getJsonObject("message").getLong("seq");
      assertNotNull(socket.next(f -> "event".equals(f.getString("type")) && f.getLong("seq") == second), "it still reads the room");
      actor.ok("report", Map.of("room", standingRoom, "message", second, "reason", "nachher"));
      assertNotNull(watcher.next(f -> "report".equals(f.getString("kind")) && "nachher".equals(f.getJsonObject("report").getString("reason"))));
      actor.ok("typing", Map.of("room", standingRoom));
      assertNotNull(watcher.next(f -> "typing".equals(f.getString("type"))));
      List<JsonObject> late = socket.drain(f -> "report".equals(f.getString("kind"))
          && "nachher".equals(f.getJsonObject("report").getString("reason")) || "access_ended".equals(f.getString("type")), 300);
      assertEquals(List.of(), late, "no report after the change, and no access_ended");
      assertEquals("ack", socket.request("typing", Map.of("room", standingRoom)).getString("type"), "still joined");
    }
  }

  private static void run(Ending ending) {
    try (Scene s = new Scene(ending)) {
      ending.change().accept(s);
      s.expectEnd();
      s.watcher.discardReceived();
      for (Delivery d : Delivery.values()) {
        if (ending.lost().contains(d)) {
          STIMULI.get(d).accept(s);
        }
      }
      s.expectNothingMore();
    }
  }

  /** The victim, the watcher (coordinator: moderates, still entitled), the actor (Alice) and their sockets for one row. */
  static final class Scene implements AutoCloseable {
    final Ending ending;
    final int number = scenes.incrementAndGet();
    final List<WsClient> sockets = new ArrayList<>();
    ApiClient victim;
    String victimEmail;
    long victimId;
    String victimKey;
    long room;
    int roomVersion;
    long victimMessage;
    long actorMessage;
    WsClient watcher;
    WsClient actor;
    WsClient socket;
    /** What the victim's socket received after the change, in order. */
    final List<JsonObject> after = new ArrayList<>();

    Scene(Ending ending) {
      this.ending = ending;
      boolean profiles = ending.lost().contains(Delivery.PROFILE_OPS);
      if (ending.place() == Place.SESSION_ROOM_AS_GUEST) {
        JsonObject session = coordinator.post("/api/spaces/" + space + "/sessions", Map.of("title", "Werkstatt " + number,
            "startsAt", Instant.now().minusSeconds(60).toString(), "endsAt", Instant.now().plusSeconds(3600).toString(),
            "guestPolicy", "link")).json();
        room = session.getLong("roomId");
        String link = coordinator.post("/api/sessions/" + session.getLong("id") + "/guest-link", null).json().getString("link");
        victim = server.client();
        JsonObject guest = victim.post("/api/guest/" + link.substring(link.lastIndexOf('/') + 1) + "/join",
            Map.of("displayName", "Gast " + number)).json();
        victimKey = "g" + guest.getLong("id");
      } else {
        victimEmail = "victim" + number + "@rights.de";
        victimId = server.createUser(victimEmail, PASSWORD, "Betroffen " + number, false);
        boolean coordinates = ending.place() == Place.RESTRICTED_ROOM_AS_COORDINATOR;
        server.addToSpace(space, victimId, coordinates ? "coordinator" : "member");
        victim = server.loggedIn(victimEmail, PASSWORD);
        victimKey = "u" + victimId;
        if (ending.place() == Place.RESTRICTED_ROOM || coordinates) {
          // A coordinator reads every room of the space, on its list or not.
          JsonObject created = coordinator.post("/api/spaces/" + space + "/rooms", Map.of("name", "Vertraulich " + number,
              "restricted", true, "members", coordinates ? List.of(aliceId) : List.of(victimId, aliceId))).json();
          room = created.getLong("id");
          roomVersion = created.getInteger("version");
        } else {
          room = standingRoom;
        }
      }
      watcher = open(coordinator);
      actor = open(alice);
      watcher.ok("join", Map.of("room", room));
      actor.ok("join", Map.of("room", room));
      actorMessage = actor.ok("post", Map.of("room", room, "key", "vorher-" + number, "text", "Vorher"))
          .getJsonObject("message").getLong("seq");
      if (profiles) {
        watcher.ok("profile_open", Map.of("profile", profile));
        actor.ok("profile_open", Map.of("profile", profile));
      }
      ending.before().accept(this);
      socket = open(victim);
      socket.ok("join", Map.of("room", room));
      victimMessage = socket.ok("post", Map.of("room", room, "key", "eigene-" + number, "text", "Meine Nachricht"))
          .getJsonObject("message").getLong("seq");
      if (profiles) {
        socket.ok("profile_open", Map.of("profile", profile));
      }
      // The victim is in: it gets what the others do (here: the watcher's typing).
      watcher.ok("typing", Map.of("room", room));
      assertNotNull(socket.next(f -> "typing".equals(f.getString("type"))), "the victim receives live frames before the change");
    }

    private WsClient open(ApiClient client) {
      WsClient c = WsClient.as(server, client);
      sockets.add(c);
      return c;
    }

    /** The victim's socket closes with 1008, or gets access_ended for the room (and the profile): nothing of them after it. */
    void expectEnd() {
      if (ending.closes()) {
        assertEquals((short) 1008, socket.awaitClose(15_000), "the socket closes with 1008");
        return;
      }
      Set<String> expected = new java.util.HashSet<>(List.of("room"));
      if (ending.lost().contains(Delivery.PROFILE_OPS)) {
        expected.add("profile");
      }
      Map<String, Boolean> ended = new HashMap<>();
      while (ended.size() < expected.size()) {
        JsonObject f = socket.next(x -> true, 15_000);
        assertNotNull(f, "access_ended for " + expected + " (got " + ended.keySet() + ")");
        record(f, ended);
      }
    }

    /** Keeps a frame that came after the change; notes which of room and profile have ended. */
    private void record(JsonObject f, Map<String, Boolean> ended) {
      if ("access_ended".equals(f.getString("type"))) {
        String what = f.containsKey("room") ? "room" : "profile";
        assertEquals(what.equals("room") ? room : profile, f.getLong(what), f.encode());
        assertEquals(ending.reason(), f.getString("reason"), f.encode());
        ended.put(what, true);
        return;
      }
      if (ended.containsKey("room") && Long.valueOf(room).equals(f.getLong("room"))) {
        after.add(f);
      }
      if (ended.containsKey("profile") && Long.valueOf(profile).equals(f.getLong("profile"))) {
        after.add(f);
      }
    }

    /** The watcher saw one more of a delivery. */
    void watch(java.util.function.Predicate<JsonObject> match) {
      assertNotNull(watcher.next(match), "the still-entitled watcher gets it");
    }

    /**
     * Everything the watcher got has been sent to every socket that should have it; whatever the victim's
     * socket received meanwhile is looked at (a little longer, as its gateway instance may be another).
     */
    void expectNothingMore() {
      if (ending.closes()) {
        assertTrue(socket.isClosed());
        return;
      }
      Map<String, Boolean> ended = new HashMap<>(Map.of("room", true, "profile", ending.lost().contains(Delivery.PROFILE_OPS)));
      ended.values().removeIf(v -> !v);
      for (JsonObject f : socket.drain(x -> true, 300)) {
        record(f, ended);
      }
      assertEquals(List.of(), after, "nothing of what the right covered arrives after access_ended");
      // The connection forgot the room (and profile): its requests there are refused, the socket stays usable.
      assertEquals("not_joined", socket.request("typing", Map.of("room", room)).getString("code"));
      if (ending.lost().contains(Delivery.PROFILE_OPS)) {
        assertEquals("not_open", socket.request("profile_cursor", Map.of("profile", profile, "field", "summary", "index", 0,
            "version", 0)).getString("code"));
      }
      assertEquals("ack", socket.request("ping", Map.of()).getString("type"));
    }

    @Override
    public void close() {
      sockets.forEach(WsClient::close);
    }
  }

  private static boolean has(JsonArray entries, String key) {
    return entries != null && entries.stream().anyMatch(o -> key.equals(((JsonObject) o).getString("key")));
  }
}
