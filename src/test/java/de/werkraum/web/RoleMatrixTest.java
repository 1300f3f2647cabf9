package de.werkraum.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Tries every protected endpoint as every role: the role check holds on every request. */
class RoleMatrixTest {

  enum Role { ANONYMOUS, MEMBER, SPACE_MEMBER, COORDINATOR_OTHER, COORDINATOR, ADMIN }

  static final Set<Role> EVERYONE_LOGGED_IN = EnumSet.complementOf(EnumSet.of(Role.ANONYMOUS));
  static final Set<Role> SPACE_COORDINATORS = EnumSet.of(Role.COORDINATOR, Role.ADMIN);
  static final Set<Role> ANY_COORDINATOR = EnumSet.of(Role.COORDINATOR_OTHER, Role.COORDINATOR, Role.ADMIN);
  static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);
  static final String PASSWORD = "Tetraeder-Bottrop-2026";

  record Endpoint(String method, String path, Supplier<Object> body, Set<Role> allowed) {}

  static TestPlatform server;
  static final Map<Role, ApiClient> clients = new java.util.EnumMap<>(Role.class);
  static long space;
  static long target;
  static long organisation;
  static long invitationToRevoke;
  static long room;
  static long session;
  static long profile;
  static final AtomicInteger unique = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Raum");
    long otherSpace = server.createSpace("Anderer Raum");
    organisation = server.createOrganisation("Zeche Zollern", "business", "Dortmund", "");
    target = server.createUser("target@roles.de", PASSWORD, "Ziel", false);
    long member = server.createUser("member@roles.de", PASSWORD, "Mitglied", false);
    long spaceMember = server.createUser("spacemember@roles.de", PASSWORD, "Raummitglied", false);
    long coordOther = server.createUser("coordother@roles.de", PASSWORD, "Andere Koordination", false);
    long coord = server.createUser("coord@roles.de", PASSWORD, "Koordination", false);
    server.createUser("admin@roles.de", PASSWORD, "Admin", true);
    server.addToSpace(space, spaceMember, "member");
    server.addToSpace(space, coord, "coordinator");
    server.addToSpace(otherSpace, coordOther, "coordinator");
    server.addToSpace(space, target, "member");
    clients.put(Role.ANONYMOUS, server.client());
    clients.put(Role.MEMBER, server.loggedIn("member@roles.de", PASSWORD));
    clients.put(Role.SPACE_MEMBER, server.loggedIn("spacemember@roles.de", PASSWORD));
    clients.put(Role.COORDINATOR_OTHER, server.loggedIn("coordother@roles.de", PASSWORD));
    clients.put(Role.COORDINATOR, server.loggedIn("coord@roles.de", PASSWORD));
    clients.put(Role.ADMIN, server.loggedIn("admin@roles.de", PASSWORD));
    invitationToRevoke = clients.get(Role.ADMIN).post("/api/invitations", Map.of("email", "revoke@roles.de", "spaceId", space))
        .json().getLong("id");
    room = clients.get(Role.ADMIN).post("/api/spaces/" + space + "/rooms", Map.of("name", "Matrix")).json().getLong("id");
    session = clients.get(Role.ADMIN).post("/api/spaces/" + space + "/sessions", Map.of("title", "Matrix-Werkstatt",
        "startsAt", java.time.Instant.now().plusSeconds(3600).toString(), "endsAt", java.time.Instant.now().plusSeconds(7200).toString(),
        "guestPolicy", "link", "moderators", List.of(coord))).json().getLong("id");
    profile = clients.get(Role.ADMIN).post("/api/spaces/" + space + "/profiles", Map.of()).json().getLong("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<Endpoint> endpoints() {
    Supplier<Object> none = () -> null;
    Supplier<Object> staleProfile = () -> Map.of("displayName", "Egal", "version", 999_999);
    List<Endpoint> list = new ArrayList<>();
    list.add(new Endpoint("GET", "/api/me", none, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("PUT", "/api/me", staleProfile, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("PUT", "/api/me/password", () -> Map.of("currentPassword", "wrong-one-x", "newPassword", "Brandneues-Kennwort-1"), EVERYONE_LOGGED_IN));
    list.add(new Endpoint("GET", "/api/members", none, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("GET", "/api/members/" + target, none, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("PUT", "/api/members/" + target, staleProfile, ADMINS));
    list.add(new Endpoint("GET", "/api/organisations", none, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("GET", "/api/organisations/" + organisation, none, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("POST", "/api/organisations", () -> Map.of("name", "Neu " + unique.incrementAndGet(), "sector", "science"), ANY_COORDINATOR));
    list.add(new Endpoint("PUT", "/api/organisations/" + organisation,
        () -> Map.of("name", "Zeche Zollern", "sector", "business", "version", 999_999), ANY_COORDINATOR));
    list.add(new Endpoint("GET", "/api/spaces", none, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("POST", "/api/spaces", () -> Map.of("name", "Raum " + unique.incrementAndGet()), ADMINS));
    list.add(new Endpoint("GET", "/api/spaces/" + space, none, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("GET", "/api/spaces/" + space + "/members", none, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("PUT", "/api/spaces/" + space, () -> Map.of("name", "Raum", "version", 999_999), SPACE_COORDINATORS));
    list.add(new Endpoint("PUT", "/api/spaces/" + space + "/members/" + target, () -> Map.of("role", "member"), SPACE_COORDINATORS));
    list.add(new Endpoint("DELETE", "/api/spaces/" + space + "/members/" + target, none, SPACE_COORDINATORS));
    list.add(new Endpoint("POST", "/api/invitations",
        () -> Map.of("email", "x" + unique.incrementAndGet() + "@roles.de", "spaceId", space), SPACE_COORDINATORS));
    list.add(new Endpoint("GET", "/api/invitations", none, EVERYONE_LOGGED_IN));
    list.add(new Endpoint("DELETE", "/api/invitations/" + invitationToRevoke, none, SPACE_COORDINATORS));
    list.add(new Endpoint("GET", "/api/admin/users", none, ADMINS));
    list.add(new Endpoint("POST", "/api/admin/users/" + target + "/activate", none, ADMINS));
    Set<Role> spaceMembers = EnumSet.of(Role.SPACE_MEMBER, Role.COORDINATOR, Role.ADMIN);
    Supplier<Object> sessionBody = () -> Map.of("title", "Matrix-Werkstatt", "version", 999_999,
        "startsAt", java.time.Instant.now().plusSeconds(3600).toString(), "endsAt", java.time.Instant.now().plusSeconds(7200).toString());
    list.add(new Endpoint("GET", "/api/spaces/" + space + "/rooms", none, spaceMembers));
    list.add(new Endpoint("POST", "/api/spaces/" + space + "/rooms", () -> Map.of("name", "Raum " + unique.incrementAndGet()), SPACE_COORDINATORS));
    list.add(new Endpoint("GET", "/api/rooms/" + room, none, spaceMembers));
    list.add(new Endpoint("PUT", "/api/rooms/" + room, () -> Map.of("name", "Matrix", "version", 999_999), SPACE_COORDINATORS));
    list.add(new Endpoint("POST", "/api/rooms/" + room + "/unarchive", none, SPACE_COORDINATORS));
    list.add(new Endpoint("GET", "/api/spaces/" + space + "/sessions", none, spaceMembers));
    list.add(new Endpoint("POST", "/api/spaces/" + space + "/sessions", sessionBody, SPACE_COORDINATORS));
    list.add(new Endpoint("GET", "/api/sessions/" + session, none, spaceMembers));
    list.add(new Endpoint("PUT", "/api/sessions/" + session, sessionBody, SPACE_COORDINATORS));
    list.add(new Endpoint("POST", "/api/sessions/" + session + "/guest-link", none, SPACE_COORDINATORS));
    list.add(new Endpoint("GET", "/api/spaces/" + space + "/profiles", none, spaceMembers));
    list.add(new Endpoint("POST", "/api/spaces/" + space + "/profiles", none, spaceMembers));
    list.add(new Endpoint("GET", "/api/profiles/" + profile, none, spaceMembers));
    list.add(new Endpoint("PATCH", "/api/profiles/" + profile, () -> Map.of("status", "review", "metaVersion", 999_999), spaceMembers));
    list.add(new Endpoint("POST", "/api/profiles/" + profile + "/snapshots", none, spaceMembers));
    return list;
  }

  @TestFactory
  List<DynamicTest> everyEndpointChecksTheRoleOfEveryCaller() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Endpoint e : endpoints()) {
      for (Role role : Role.values()) {
        tests.add(DynamicTest.dynamicTest(e.method() + " " + e.path() + " as " + role, () -> {
          ApiClient c = clients.get(role);
          Object body = e.body().get();
          ApiClient.Response r = switch (e.method()) {
            case "GET" -> c.get(e.path());
            case "POST" -> c.post(e.path(), body);
            case "PUT" -> c.put(e.path(), body);
            case "PATCH" -> c.patch(e.path(), body);
            default -> c.delete(e.path());
          };
          String code = r.errorCode();
          if (role == Role.ANONYMOUS) {
            assertEquals("unauthenticated", code, r.body());
            assertEquals(401, r.status());
          } else if (e.allowed().contains(role)) {
            assertNotEquals("forbidden", code, r.body());
            assertNotEquals("unauthenticated", code, r.body());
            assertEquals(true, r.status() < 500, r.body());
          } else {
            assertEquals("forbidden", code, r.body());
            assertEquals(403, r.status());
          }
        }));
      }
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> membersSeeEmailAddressesOnlyOfThemselves() {
    return List.of(
        DynamicTest.dynamicTest("member sees no email of others", () ->
            assertEquals(null, clients.get(Role.MEMBER).get("/api/members/" + target).json().getString("email"))),
        DynamicTest.dynamicTest("admin sees the email", () -> {
          JsonObject m = clients.get(Role.ADMIN).get("/api/members/" + target).json();
          assertEquals("target@roles.de", m.getString("email"));
        }));
  }
}
