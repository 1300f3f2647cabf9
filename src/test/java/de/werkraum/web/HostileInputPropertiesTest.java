package de.werkraum.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.HostileJson;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import de.werkraum.web.socket.SocketHandler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.lang.reflect.Constructor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random Unicode (NUL, unpaired surrogates, non-characters, long texts) and random numbers (huge, negative,
 * fractional, 2^64+1, written as text) go into every field, query parameter and path parameter of every
 * HTTP endpoint and into every field of every WebSocket request type, one field at a time, on a real
 * server. Whatever comes in, no answer is a 5xx and no frame is {@code internal}. The tables of endpoints
 * and request types are checked against the routes and socket handlers in the code, so a new one cannot
 * be left out.
 */
class HostileInputPropertiesTest {

  static final String PASSWORD = "Kokerei-Hansa-Huckarde-1928";

  /** One endpoint: its route as mounted, the values of its path parameters, a body of the right form, its query parameters. */
  record Endpoint(String method, String route, boolean open, Map<String, String> path, Map<String, Object> body, List<String> query) {
    String key() {
      return method + " " + route + (open ? " (public)" : "");
    }
  }

  /** One request type of the socket and a frame of the right form. */
  record FrameType(String type, Map<String, Object> fields) {}

  static TestPlatform server;
  static ApiClient admin;
  static ApiClient anonymous;
  static WsClient socket;
  static long space;
  static long room;
  static long otherRoom;
  static long sessionRoom;
  static long session;
  static long profile;
  static long otherProfile;
  static long member;
  static long organisation;
  static long invitation;
  static long message;
  static String guestToken;

  @BeforeContainer
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Raum");
    long adminId = server.createUser("admin@fuzz.de", PASSWORD, "Admin", true);
    member = server.createUser("member@fuzz.de", PASSWORD, "Mitglied", false);
    server.addToSpace(space, adminId, "coordinator");
    server.addToSpace(space, member, "member");
    organisation = server.createOrganisation("Zeche", "business", "Dortmund", "");
    admin = server.loggedIn("admin@fuzz.de", PASSWORD);
    anonymous = server.client();
    // Rooms and profiles first made and left alone, so that small random ids rarely hit the ones in use.
    for (int i = 0; i < 5; i++) {
      admin.post("/api/spaces/" + space + "/rooms", Map.of("name", "Füllraum " + i));
      admin.post("/api/spaces/" + space + "/profiles", Map.of());
    }
    room = admin.post("/api/spaces/" + space + "/rooms", Map.of("name", "Halle")).json().getLong("id");
    otherRoom = admin.post("/api/spaces/" + space + "/rooms", Map.of("name", "Nebenraum")).json().getLong("id");
    JsonObject s = admin.post("/api/spaces/" + space + "/sessions", Map.of("title", "Werkstatt",
        "startsAt", Instant.now().minusSeconds(600).toString(), "endsAt", Instant.now().plusSeconds(7200).toString(),
        "guestPolicy", "link")).json();
    session = s.getLong("id");
    sessionRoom = s.getLong("roomId");
    String link = admin.post("/api/sessions/" + session + "/guest-link", null).json().getString("link");
    guestToken = link.substring(link.lastIndexOf('/') + 1);
    profile = admin.post("/api/spaces/" + space + "/profiles", Map.of()).json().getLong("id");
    otherProfile = admin.post("/api/spaces/" + space + "/profiles", Map.of()).json().getLong("id");
    invitation = admin.post("/api/invitations", Map.of("email", "neu@fuzz.de", "spaceId", space)).json().getLong("id");
    socket = WsClient.as(server, admin);
    socket.ok("join", Map.of("room", room));
    message = socket.ok("post", Map.of("room", room, "key", "erste", "text", "Glück auf")).getJsonObject("message").getLong("seq");
  }

  @AfterContainer
  static void stop() {
    socket.close();
    server.close();
  }

  static Map<String, Object> body(Object... fields) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      map.put((String) fields[i], fields[i + 1]);
    }
    return map;
  }

  static Endpoint get(String route, Map<String, String> path, String... query) {
    return new Endpoint("GET", route, false, path, null, List.of(query));
  }

  static Endpoint write(String method, String route, Map<String, String> path, Map<String, Object> body) {
    return new Endpoint(method, route, false, path, body, List.of());
  }

  static Endpoint open(String method, String route, Map<String, String> path, Map<String, Object> body) {
    return new Endpoint(method, route, true, path, body, List.of());
  }

  static List<Endpoint> endpoints() {
    Map<String, String> none = Map.of();
    Map<String, String> theSpace = Map.of("id", Long.toString(space));
    Map<String, String> theRoom = Map.of("id", Long.toString(room));
    Map<String, String> theSession = Map.of("id", Long.toString(session));
    Map<String, String> theProfile = Map.of("id", Long.toString(profile));
    Map<String, String> theMember = Map.of("id", Long.toString(member));
    String later = Instant.now().plusSeconds(86_400).toString();
    String evenLater = Instant.now().plusSeconds(90_000).toString();
    Map<String, Object> sessionBody = body("title", "Werkstatt", "description", "", "agenda", List.of("Begrüßung"),
        "startsAt", later, "endsAt", evenLater, "guestPolicy", "members", "moderators", List.of(member), "version", 999_999);
    Map<String, Object> profileBody = body("displayName", "Admin", "organisationId", organisation, "position", "", "bio", "",
        "version", 999_999);
    Map<String, Object> organisationBody = body("name", "Zeche", "sector", "business", "city", "", "website", "",
        "description", "", "version", 999_999);
    List<Endpoint> list = new ArrayList<>();
    list.add(open("GET", "/setup", none, null));
    list.add(open("POST", "/setup", none, body("token", "falsch", "email", "a@fuzz.de", "displayName", "A", "password", PASSWORD)));
    list.add(open("POST", "/auth/login", none, body("email", "admin@fuzz.de", "password", "falsch-falsch")));
    list.add(open("POST", "/auth/logout", none, null));
    list.add(open("GET", "/invitations/token/:token", Map.of("token", "unbekannt"), null));
    list.add(open("POST", "/invitations/token/:token/accept", Map.of("token", "unbekannt"),
        body("displayName", "Neu", "password", PASSWORD)));
    list.add(open("GET", "/guest/me", none, null));
    list.add(open("GET", "/guest/:token", Map.of("token", guestToken), null));
    list.add(open("POST", "/guest/:token/join", Map.of("token", guestToken), body("displayName", "Gast")));
    list.add(write("PUT", "/me/password", none, body("currentPassword", "falsch-falsch", "newPassword", "Neues-Kennwort-2026")));
    list.add(write("POST", "/invitations", none, body("email", "x@fuzz.de", "spaceId", space, "spaceRole", "member", "admin", false)));
    list.add(get("/invitations", none, "page", "size", "space"));
    list.add(write("DELETE", "/invitations/:id", Map.of("id", Long.toString(invitation)), null));
    list.add(get("/admin/users", none, "q", "page", "size"));
    list.add(write("POST", "/admin/users/:id/deactivate", Map.of("id", "999999"), null));
    list.add(write("POST", "/admin/users/:id/activate", theMember, null));
    list.add(get("/me", none));
    list.add(write("PUT", "/me", none, profileBody));
    list.add(get("/members", none, "q", "page", "size", "sector", "space"));
    list.add(get("/members/:id", theMember));
    list.add(write("PUT", "/members/:id", theMember, profileBody));
    list.add(get("/organisations", none, "q", "page", "size", "sector"));
    list.add(write("POST", "/organisations", none, organisationBody));
    list.add(get("/organisations/:id", Map.of("id", Long.toString(organisation))));
    list.add(write("PUT", "/organisations/:id", Map.of("id", Long.toString(organisation)), organisationBody));
    list.add(get("/spaces", none));
    list.add(write("POST", "/spaces", none, body("name", "Raum", "description", "")));
    list.add(get("/spaces/:id", theSpace));
    list.add(write("PUT", "/spaces/:id", theSpace, body("name", "Raum", "description", "", "version", 999_999)));
    list.add(get("/spaces/:id/members", theSpace, "page", "size"));
    list.add(write("PUT", "/spaces/:id/members/:userId", Map.of("id", Long.toString(space), "userId", Long.toString(member)),
        body("role", "member")));
    list.add(write("DELETE", "/spaces/:id/members/:userId", Map.of("id", "999999", "userId", Long.toString(member)), null));
    list.add(get("/spaces/:id/rooms", theSpace, "archived"));
    list.add(write("POST", "/spaces/:id/rooms", theSpace, body("name", "Raum", "restricted", false, "members", List.of(member))));
    list.add(get("/rooms/:id", theRoom));
    list.add(write("PUT", "/rooms/:id", theRoom, body("name", "Halle", "restricted", false, "members", List.of(), "version", 999_999)));
    list.add(write("POST", "/rooms/:id/archive", Map.of("id", "999999"), null));
    list.add(write("POST", "/rooms/:id/unarchive", theRoom, null));
    list.add(get("/rooms/:id/moderation-log", theRoom, "before", "limit"));
    list.add(get("/spaces/:id/sessions", theSpace));
    list.add(write("POST", "/spaces/:id/sessions", theSpace, sessionBody));
    list.add(get("/sessions/:id", theSession));
    list.add(write("PUT", "/sessions/:id", theSession, sessionBody));
    list.add(write("POST", "/sessions/:id/guest-link", Map.of("id", "999999"), null));
    list.add(write("DELETE", "/sessions/:id/guest-link", Map.of("id", "999999"), null));
    list.add(get("/sessions/:id/results", theSession));
    list.add(get("/sessions/:id/results.md", theSession));
    list.add(get("/spaces/:id/profiles", theSpace, "status", "tag"));
    list.add(write("POST", "/spaces/:id/profiles", theSpace, null));
    list.add(get("/profiles/:id", theProfile));
    list.add(write("PATCH", "/profiles/:id", theProfile, body("status", "review", "tags", List.of("Ruhr"), "metaVersion", 999_999)));
    list.add(write("POST", "/profiles/:id/snapshots", theProfile, null));
    return list;
  }

  static List<FrameType> frameTypes() {
    List<FrameType> list = new ArrayList<>();
    list.add(new FrameType("ping", body()));
    list.add(new FrameType("join", body("room", otherRoom, "since", 0)));
    list.add(new FrameType("leave", body("room", 999_999)));
    list.add(new FrameType("post", body("room", room, "key", "k", "text", "Hallo", "replyTo", message, "mentions", List.of(member),
        "writtenAt", java.time.Instant.now().minusSeconds(600).toString())));
    list.add(new FrameType("edit", body("room", room, "message", message, "text", "Glück auf", "mentions", List.of())));
    list.add(new FrameType("delete", body("room", room, "message", 999_999)));
    list.add(new FrameType("react", body("room", room, "message", message, "emoji", "👍")));
    list.add(new FrameType("history", body("room", room, "before", message, "limit", 10)));
    list.add(new FrameType("thread", body("room", room, "message", message)));
    list.add(new FrameType("edits", body("room", room, "message", message)));
    list.add(new FrameType("typing", body("room", room)));
    list.add(new FrameType("read", body("room", room, "seq", message)));
    String someone = "u" + member;
    long r = sessionRoom;
    list.add(new FrameType("hand_raise", body("room", r)));
    list.add(new FrameType("hand_lower", body("room", r)));
    list.add(new FrameType("mod_state", body("room", r)));
    list.add(new FrameType("mod_floor_give", body("room", r, "participant", someone)));
    list.add(new FrameType("mod_floor_take", body("room", r)));
    list.add(new FrameType("mod_hands_clear", body("room", r)));
    list.add(new FrameType("mod_floor_only", body("room", r, "on", false)));
    list.add(new FrameType("mod_lock", body("room", r, "locked", false)));
    list.add(new FrameType("mod_hide_participants", body("room", r, "hidden", false)));
    list.add(new FrameType("mod_slow_mode", body("room", r, "seconds", 0)));
    list.add(new FrameType("mod_mute", body("room", r, "participant", someone, "seconds", 60, "reactions", false, "reason", "Ruhe")));
    list.add(new FrameType("mod_unmute", body("room", r, "participant", someone)));
    list.add(new FrameType("mod_remove_participant", body("room", r, "participant", "u999999", "reason", "Tschüss")));
    list.add(new FrameType("mod_ban", body("room", r, "participant", "u999999", "reason", "Tschüss")));
    list.add(new FrameType("mod_unban", body("room", r, "participant", someone)));
    list.add(new FrameType("mod_lobby_admit", body("room", r, "guest", 999_999)));
    list.add(new FrameType("mod_lobby_deny", body("room", r, "guest", 999_999)));
    list.add(new FrameType("mod_lobby_admit_all", body("room", r)));
    list.add(new FrameType("mod_promote", body("room", r, "participant", someone)));
    list.add(new FrameType("mod_demote", body("room", r, "participant", someone)));
    list.add(new FrameType("mod_pin", body("room", r, "message", 999_999)));
    list.add(new FrameType("mod_unpin", body("room", r, "message", 999_999)));
    list.add(new FrameType("mod_remove_message", body("room", r, "message", 999_999, "reason", "Spam")));
    list.add(new FrameType("mod_end_session", body("room", 999_999)));
    list.add(new FrameType("mod_result", body("room", r, "message", 999_999, "result", true)));
    list.add(new FrameType("report", body("room", r, "message", 999_999, "reason", "Spam")));
    list.add(new FrameType("mod_report_dismiss", body("room", r, "report", 999_999)));
    list.add(new FrameType("poll_create", body("room", r, "question", "Wann?", "options", List.of("Mo", "Di"), "multiple", false,
        "anonymous", false, "seconds", 60)));
    list.add(new FrameType("poll_vote", body("room", r, "poll", 999_999, "choices", List.of(0))));
    list.add(new FrameType("poll_close", body("room", r, "poll", 999_999)));
    list.add(new FrameType("poll_publish", body("room", r, "poll", 999_999)));
    list.add(new FrameType("poll_list", body("room", r)));
    list.add(new FrameType("profile_open", body("profile", otherProfile, "since", 0)));
    list.add(new FrameType("profile_close", body("profile", 999_999)));
    // The texts inside a delta are the delta reader's own (DeltaCodec); here the delta stays well-formed.
    list.add(new FrameType("profile_submit", body("profile", profile, "field", "summary", "delta", List.of(Map.of("insert", "x")),
        "baseVersion", 0, "client", "fuzz", "seq", 1)));
    list.add(new FrameType("profile_cursor", body("profile", profile, "field", "summary", "index", 0, "length", 0, "version", 0)));
    return list;
  }

  /** Every class in the main code that is one of {@code type}, made with empty arguments (their constructors only keep them). */
  static <T> List<T> implementationsOf(Class<T> type) throws Exception {
    Path classes = Path.of(ApiRoutes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names;
    try (Stream<Path> files = Files.walk(classes)) {
      names = files.map(f -> classes.relativize(f).toString()).filter(f -> f.endsWith(".class") && !f.contains("$"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace(java.io.File.separatorChar, '.')).sorted().toList();
    }
    List<T> found = new ArrayList<>();
    for (String name : names) {
      Class<?> c = Class.forName(name, false, ApiRoutes.class.getClassLoader());
      if (c.isInterface() || !type.isAssignableFrom(c)) {
        continue;
      }
      Constructor<?> constructor = c.getDeclaredConstructors()[0];
      constructor.setAccessible(true);
      Object[] args = new Object[constructor.getParameterCount()];
      Class<?>[] kinds = constructor.getParameterTypes();
      for (int i = 0; i < args.length; i++) {
        if (kinds[i] == boolean.class) {
          args[i] = false;
        } else if (kinds[i] == int.class) {
          args[i] = 0;
        } else if (kinds[i] == long.class) {
          args[i] = 0L;
        }
      }
      found.add(type.cast(constructor.newInstance(args)));
    }
    return found;
  }

  static Set<String> routes(Router router, boolean open) {
    Set<String> keys = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      for (var method : route.methods()) {
        keys.add(method.name() + " " + route.getPath() + (open ? " (public)" : ""));
      }
    }
    return keys;
  }

  @Example
  void theTablesCoverEveryRouteAndEveryRequestType() throws Exception {
    Set<String> mounted = new TreeSet<>();
    List<ApiRoutes> features = implementationsOf(ApiRoutes.class);
    assertTrue(features.size() >= 5, "found the features' routes: " + features);
    for (ApiRoutes feature : features) {
      Router open = Router.router(server.vertx);
      feature.mountPublic(open);
      mounted.addAll(routes(open, true));
      Router guarded = Router.router(server.vertx);
      feature.mount(guarded);
      mounted.addAll(routes(guarded, false));
    }
    Set<String> table = new TreeSet<>();
    endpoints().forEach(e -> table.add(e.key()));
    assertEquals(mounted, table, "the endpoint table of this test is the list of routes in the code");

    Set<String> types = new TreeSet<>(Set.of("ping"));
    for (SocketHandler handler : implementationsOf(SocketHandler.class)) {
      types.addAll(handler.types());
    }
    Set<String> frameTable = new TreeSet<>();
    frameTypes().forEach(f -> frameTable.add(f.type()));
    assertEquals(types, frameTable, "the request type table of this test is the list of types the socket handlers answer");
  }

  /** One value of each kind a careless or hostile client sends most often; each goes into every field. */
  static List<Object> knownBadValues() {
    return List.of("a\u0000b", "\ud800", "x\udc00", "\udc00\ud800", "\ufffe\uffff\ufdd0\u0001\u007f", "\ud83d\ude00".repeat(4_500),
        BigInteger.TWO.pow(64).add(BigInteger.ONE), BigInteger.TWO.pow(63), BigInteger.TWO.pow(31), -1, 1.5,
        new HostileJson.Literal("1e400"), "18446744073709551617", List.of("\u0000"));
  }

  @Example
  void knownBadValuesCauseNoFault() {
    List<String> faults = new ArrayList<>();
    for (Object value : knownBadValues()) {
      faults.addAll(sendEverywhere(value));
    }
    assertEquals(List.of(), faults);
  }

  @Property(tries = 6, shrinking = net.jqwik.api.ShrinkingMode.OFF)
  void randomValuesCauseNoFault(@ForAll("hostile") Object value) {
    assertEquals(List.of(), sendEverywhere(value));
  }

  @Provide
  Arbitrary<Object> hostile() {
    Arbitrary<String> special = Arbitraries.of("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\ufffe", "\uffff", "\ufdd0",
        "\ud83d\ude00", "\u0085", "\u200b", "\u202e", "\n", "\"", "\\");
    Arbitrary<String> plain = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> spiked = Combinators.combine(plain, special, plain).as((a, b, c) -> a + b + c);
    Arbitrary<String> long_ = Combinators.combine(special, Arbitraries.integers().between(1_000, 8_000))
        .as((s, n) -> "Ruhr".repeat(n / 4) + s);
    Arbitrary<Object> numbers = Arbitraries.<Object>oneOf(
        Arbitraries.bigIntegers().between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70)),
        Arbitraries.longs(), Arbitraries.integers().between(-3, 3),
        Arbitraries.doubles().between(-1e20, 1e20).withSpecialValue(0.5), Arbitraries.bigIntegers()
            .between(BigInteger.ZERO, BigInteger.TWO.pow(80)).map(BigInteger::toString));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, spiked.map(s -> (Object) s)),
        net.jqwik.api.Tuple.of(2, plain.map(s -> (Object) s)),
        net.jqwik.api.Tuple.of(1, long_.map(s -> (Object) s)),
        net.jqwik.api.Tuple.of(4, numbers),
        net.jqwik.api.Tuple.of(1, spiked.list().ofMaxSize(3).map(l -> (Object) l)));
  }

  /** Sends {@code value} into every field of every endpoint and request type, one at a time; returns the faults seen. */
  static List<String> sendEverywhere(Object value) {
    List<String> faults = new ArrayList<>();
    long started = System.nanoTime();
    // A random id may have hit the room or profile in use (a leave, a close): join and open them again.
    socket.ok("join", Map.of("room", room));
    socket.ok("profile_open", Map.of("profile", profile));
    for (Endpoint e : endpoints()) {
      ApiClient client = e.open() ? anonymous : admin;
      for (String name : e.path().keySet()) {
        Map<String, String> path = new LinkedHashMap<>(e.path());
        path.put(name, asParameter(value));
        check(faults, e, ":" + name, http(client, e, path, e.body(), ""));
      }
      for (String name : e.query()) {
        check(faults, e, "?" + name, http(client, e, e.path(), e.body(), "?" + name + "=" + asParameter(value)));
      }
      if (e.body() != null) {
        for (String name : e.body().keySet()) {
          Map<String, Object> body = new LinkedHashMap<>(e.body());
          body.put(name, value);
          check(faults, e, name, http(client, e, e.path(), body, ""));
          if (e.body().get(name) instanceof List<?>) {
            body.put(name, List.of(value));
            check(faults, e, name + "[]", http(client, e, e.path(), body, ""));
          }
        }
      }
    }
    for (FrameType f : frameTypes()) {
      for (String name : f.fields().keySet()) {
        Map<String, Object> fields = new LinkedHashMap<>(f.fields());
        fields.put(name, value);
        frame(faults, f.type(), name, fields);
        if (f.fields().get(name) instanceof List<?>) {
          fields.put(name, List.of(value));
          frame(faults, f.type(), name + "[]", fields);
        }
      }
    }
    Map<String, Object> ping = new LinkedHashMap<>();
    ping.put("id", value);
    frame(faults, "ping", "id", ping);
    frame(faults, "ping", "type", body("type", value));
    // The sweep reached the handlers as the admin: the session is still valid and the socket still open.
    if (admin.get("/api/me").status() != 200) {
      faults.add("the admin's session ended during the sweep");
    }
    if (socket.isClosed()) {
      faults.add("the socket was closed during the sweep");
    }
    System.out.println("sent everywhere in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    return faults;
  }

  /** The value as a URL part; long ones cut (the length of a request line is the transport's limit, not a field's). */
  static String asParameter(Object value) {
    String text = value instanceof String s ? s : HostileJson.encode(value);
    return URLEncoder.encode(text.substring(0, Math.min(text.length(), 300)), StandardCharsets.UTF_8);
  }

  static ApiClient.Response http(ApiClient client, Endpoint e, Map<String, String> path, Map<String, Object> body, String query) {
    String url = "/api" + e.route();
    for (var p : path.entrySet()) {
      url = url.replace(":" + p.getKey(), p.getValue());
    }
    String[] headers = {"Content-Type", "application/json", "Origin", server.origin(), "X-Werkraum-Csrf", "1"};
    return client.raw(e.method(), url + query, body == null ? null : HostileJson.encode(body), headers);
  }

  static void check(List<String> faults, Endpoint e, String field, ApiClient.Response r) {
    if (r.status() >= 500 || r.body().contains("\"internal\"")) {
      faults.add(e.key() + " " + field + " -> " + r.status() + " " + r.body());
    }
  }

  static void frame(List<String> faults, String type, String field, Map<String, Object> fields) {
    if (socket.isClosed()) {
      faults.add("the socket was closed before " + type + " " + field);
      socket = WsClient.as(server, admin);
      socket.ok("join", Map.of("room", room));
    }
    String id = "f-" + UUID.randomUUID();
    Map<String, Object> frame = new LinkedHashMap<>();
    frame.put("id", id);
    frame.put("type", type);
    frame.putAll(fields);
    socket.sendRaw(HostileJson.encode(frame));
    boolean ownId = id.equals(frame.get("id"));
    JsonObject answer = socket.next(f -> (ownId ? id.equals(f.getValue("id")) : f.getValue("id") == null || !(f.getValue("id") instanceof String s && s.startsWith("f-")))
        && ("ack".equals(f.getString("type")) || "error".equals(f.getString("type"))));
    if (answer == null) {
      faults.add(type + " " + field + " -> no answer");
    } else if ("internal".equals(answer.getString("code"))) {
      faults.add(type + " " + field + " -> " + answer.encode());
    }
    socket.drain(f -> !"ack".equals(f.getString("type")) && !"error".equals(f.getString("type")), 0);
  }
}
