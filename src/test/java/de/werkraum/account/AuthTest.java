package de.werkraum.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthTest {

  static TestPlatform server;
  static final String PASSWORD = "Kohlenpott-Werkstatt-42";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void clearThrottle() {
    server.sql("DELETE FROM login_failures");
  }

  private String newAccount(String name) {
    String email = name + "@auth.test";
    server.createUser(email, PASSWORD, name, false);
    return email;
  }

  @Test
  void loginSetsHardenedCookieAndMeAnswers() {
    String email = newAccount("ada");
    ApiClient client = server.client();
    ApiClient.Response login = client.post("/api/auth/login", Map.of("email", email, "password", PASSWORD));
    assertEquals(200, login.status(), login.body());
    String cookie = login.cookies().stream().filter(c -> c.startsWith("werkraum_session=")).findFirst().orElseThrow();
    assertTrue(cookie.toLowerCase().contains("httponly"), cookie);
    assertTrue(cookie.contains("SameSite=Lax"), cookie);
    assertFalse(cookie.contains("Secure"), "no Secure flag on an http public URL: " + cookie);
    String token = cookie.substring("werkraum_session=".length(), cookie.indexOf(';'));
    assertTrue(token.length() >= 43, "at least 256 bits of randomness, base64url");
    ApiClient.Response me = client.get("/api/me");
    assertEquals(200, me.status());
    assertEquals(email, me.json().getString("email"));
    assertEquals("ada", me.json().getString("displayName"));
  }

  @Test
  void emailIsMatchedCaseInsensitively() {
    String email = newAccount("grace");
    ApiClient.Response login = server.client().post("/api/auth/login", Map.of("email", email.toUpperCase(), "password", PASSWORD));
    assertEquals(200, login.status(), login.body());
  }

  @Test
  void everyLoginIssuesANewSessionId() {
    String email = newAccount("barbara");
    ApiClient client = server.client();
    String first = client.post("/api/auth/login", Map.of("email", email, "password", PASSWORD)).cookies().get(0);
    String second = client.post("/api/auth/login", Map.of("email", email, "password", PASSWORD)).cookies().get(0);
    assertNotEquals(first, second);
  }

  @Test
  void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
    String email = newAccount("katherine");
    ApiClient.Response wrong = server.client().post("/api/auth/login", Map.of("email", email, "password", "falsch-falsch-1"));
    ApiClient.Response unknown = server.client().post("/api/auth/login", Map.of("email", "nobody@auth.test", "password", "falsch-falsch-1"));
    assertEquals(401, wrong.status());
    assertEquals(401, unknown.status());
    assertEquals(wrong.body(), unknown.body());
    assertEquals("invalid_credentials", wrong.errorCode());
  }

  @Test
  void logoutEndsTheSessionOnTheServer() {
    String email = newAccount("hedy");
    ApiClient client = server.client();
    ApiClient.Response login = client.post("/api/auth/login", Map.of("email", email, "password", PASSWORD));
    String cookie = login.cookies().get(0);
    String token = cookie.substring("werkraum_session=".length(), cookie.indexOf(';'));
    assertEquals(204, client.post("/api/auth/logout", null).status());
    assertEquals(401, client.get("/api/me").status());
    // Replaying the old cookie after logout must not work either.
    ApiClient.Response replay = server.client().raw("GET", "/api/me", null, "Cookie", "werkraum_session=" + token);
    assertEquals(401, replay.status());
    assertEquals(0, server.sqlLong("SELECT count(*) FROM login_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1", email));
  }

  @Test
  void idleSessionExpires() {
    String email = newAccount("idle");
    ApiClient client = server.loggedIn(email, PASSWORD);
    assertEquals(200, client.get("/api/me").status());
    server.sql("UPDATE login_sessions SET last_seen_at = now() - interval '121 minutes' WHERE user_id = (SELECT id FROM users WHERE email = $1)", email);
    ApiClient.Response me = client.get("/api/me");
    assertEquals(401, me.status());
    assertEquals("unauthenticated", me.errorCode());
  }

  @Test
  void sessionEndsAtItsAbsoluteLifetimeEvenWhenActive() {
    String email = newAccount("longrun");
    ApiClient client = server.loggedIn(email, PASSWORD);
    server.sql("UPDATE login_sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = $1)", email);
    assertEquals(401, client.get("/api/me").status());
  }

  @Test
  void failedLoginsAreThrottledPerAccountEvenWithTheRightPassword() {
    String email = newAccount("target");
    ApiClient client = server.client();
    for (int i = 0; i < LoginThrottle.PER_ACCOUNT; i++) {
      assertEquals(401, client.post("/api/auth/login", Map.of("email", email, "password", "wrong-password-" + i)).status());
    }
    ApiClient.Response blocked = client.post("/api/auth/login", Map.of("email", email, "password", PASSWORD));
    assertEquals(429, blocked.status());
    assertEquals("login_throttled", blocked.errorCode());
    long retry = Long.parseLong(blocked.raw().headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retry > 0 && retry <= 15 * 60, "Retry-After " + retry);
    // An unknown account is throttled in the same way: no enumeration through the throttle.
    for (int i = 0; i < LoginThrottle.PER_ACCOUNT; i++) {
      client.post("/api/auth/login", Map.of("email", "ghost@auth.test", "password", "wrong-password-" + i));
    }
    assertEquals("login_throttled", client.post("/api/auth/login", Map.of("email", "ghost@auth.test", "password", "x-x-x-x-x")).errorCode());
  }

  @Test
  void failedLoginsAreThrottledPerClientAddress() {
    String email = newAccount("innocent");
    ApiClient client = server.client();
    for (int i = 0; i < LoginThrottle.PER_ADDRESS; i++) {
      client.post("/api/auth/login", Map.of("email", "spray" + i + "@auth.test", "password", "wrong-password"));
    }
    ApiClient.Response blocked = client.post("/api/auth/login", Map.of("email", email, "password", PASSWORD));
    assertEquals(429, blocked.status());
    assertEquals("login_throttled", blocked.errorCode());
  }

  @Test
  void deactivatingAnAccountEndsItsSessionsAtOnce() {
    String email = newAccount("leaving");
    long id = server.sqlLong("SELECT id FROM users WHERE email = $1", email);
    server.createUser("admin1@auth.test", PASSWORD, "Admin", true);
    ApiClient admin = server.loggedIn("admin1@auth.test", PASSWORD);
    ApiClient member = server.loggedIn(email, PASSWORD);
    assertEquals(200, member.get("/api/me").status());

    ApiClient.Response off = admin.post("/api/admin/users/" + id + "/deactivate", null);
    assertEquals(200, off.status(), off.body());
    assertFalse(off.json().getBoolean("active"));
    assertEquals(401, member.get("/api/me").status());
    assertEquals("invalid_credentials", server.client().post("/api/auth/login", Map.of("email", email, "password", PASSWORD)).errorCode());

    assertEquals(200, admin.post("/api/admin/users/" + id + "/activate", null).status());
    assertEquals(200, server.client().post("/api/auth/login", Map.of("email", email, "password", PASSWORD)).status());
  }

  @Test
  void adminCannotDeactivateThemself() {
    server.createUser("admin2@auth.test", PASSWORD, "Admin", true);
    long id = server.sqlLong("SELECT id FROM users WHERE email = 'admin2@auth.test'");
    ApiClient admin = server.loggedIn("admin2@auth.test", PASSWORD);
    assertEquals("forbidden", admin.post("/api/admin/users/" + id + "/deactivate", null).errorCode());
  }

  @Test
  void changingThePasswordChecksTheOldOneAndEndsOtherSessions() {
    String email = newAccount("changer");
    ApiClient here = server.loggedIn(email, PASSWORD);
    ApiClient elsewhere = server.loggedIn(email, PASSWORD);
    ApiClient.Response wrong = here.put("/api/me/password", Map.of("currentPassword", "not-it-at-all", "newPassword", "Zeche-Zollverein-1986"));
    assertEquals(401, wrong.status());
    assertEquals("invalid_credentials", wrong.errorCode());
    assertEquals(204, here.put("/api/me/password", Map.of("currentPassword", PASSWORD, "newPassword", "Zeche-Zollverein-1986")).status());
    assertEquals(200, here.get("/api/me").status());
    assertEquals(401, elsewhere.get("/api/me").status());
    assertEquals(200, server.client().post("/api/auth/login", Map.of("email", email, "password", "Zeche-Zollverein-1986")).status());
  }

  @Test
  void weakPasswordsAreRefusedWithTheirOwnCodes() {
    String email = newAccount("weak");
    ApiClient client = server.loggedIn(email, PASSWORD);
    assertEquals("password_too_short", client.put("/api/me/password", Map.of("currentPassword", PASSWORD, "newPassword", "kurz")).errorCode());
    assertEquals("password_too_long", client.put("/api/me/password", Map.of("currentPassword", PASSWORD, "newPassword", "x".repeat(129))).errorCode());
    assertEquals("password_too_common", client.put("/api/me/password", Map.of("currentPassword", PASSWORD, "newPassword", "Passwort123")).errorCode());
    assertEquals("password_too_common", client.put("/api/me/password", Map.of("currentPassword", PASSWORD, "newPassword", "schalke04")).errorCode());
    assertEquals(200, server.client().post("/api/auth/login", Map.of("email", email, "password", PASSWORD)).status(), "password unchanged");
  }

  @Test
  void passwordsAreStoredAsArgon2idWithTheirParameters() {
    String email = newAccount("hashcheck");
    ApiClient client = server.loggedIn(email, PASSWORD);
    client.put("/api/me/password", Map.of("currentPassword", PASSWORD, "newPassword", "Halde-Haniel-Tetraeder"));
    String stored = server.pool().preparedQuery("SELECT password_hash FROM users WHERE email = $1")
        .execute(io.vertx.sqlclient.Tuple.of(email)).await().iterator().next().getString(0);
    assertTrue(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), stored);
    assertFalse(stored.contains("Halde"));
    assertNotNull(stored.split("\\$")[4]);
  }
}
