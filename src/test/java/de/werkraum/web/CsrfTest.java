package de.werkraum.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CsrfTest {

  static TestPlatform server;
  static ApiClient member;
  static final String PASSWORD = "Gasometer-Oberhausen-1";
  static final String BODY = "{\"displayName\":\"Changed\",\"version\":1}";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    server.createUser("csrf@test.de", PASSWORD, "Original", false);
    member = server.loggedIn("csrf@test.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private void assertRefused(String code, String... headers) {
    ApiClient.Response r = member.raw("PUT", "/api/me", BODY, headers);
    assertEquals(403, r.status(), r.body());
    assertEquals(code, r.errorCode());
    assertEquals("Original", member.get("/api/me").json().getString("displayName"), "nothing changed");
  }

  @Test
  void requestWithoutOriginIsRefused() {
    assertRefused("csrf_origin", "Content-Type", "application/json", "X-Werkraum-Csrf", "1");
  }

  @Test
  void requestFromForeignOriginIsRefused() {
    assertRefused("csrf_origin", "Content-Type", "application/json", "X-Werkraum-Csrf", "1", "Origin", "http://evil.example");
  }

  @Test
  void requestFromLookAlikeOriginIsRefused() {
    String lookAlike = server.origin() + ".evil.example";
    assertRefused("csrf_origin", "Content-Type", "application/json", "X-Werkraum-Csrf", "1", "Origin", lookAlike);
    assertRefused("csrf_origin", "Content-Type", "application/json", "X-Werkraum-Csrf", "1", "Origin", server.origin() + "/");
    assertRefused("csrf_origin", "Content-Type", "application/json", "X-Werkraum-Csrf", "1", "Origin", server.origin().replace("http:", "https:"));
  }

  @Test
  void requestWithoutCustomHeaderIsRefused() {
    assertRefused("csrf_header", "Content-Type", "application/json", "Origin", server.origin());
  }

  @Test
  void loginIsProtectedToo() {
    ApiClient.Response r = server.client().raw("POST", "/api/auth/login",
        "{\"email\":\"csrf@test.de\",\"password\":\"" + PASSWORD + "\"}", "Content-Type", "application/json", "Origin", "http://evil.example");
    assertEquals("csrf_origin", r.errorCode());
    assertEquals(0, r.cookies().size());
  }

  @Test
  void sameOriginRequestWithHeaderPasses() {
    ApiClient.Response r = member.raw("GET", "/api/me", null);
    int version = r.json().getInteger("version");
    ApiClient.Response ok = member.raw("PUT", "/api/me", "{\"displayName\":\"Original\",\"version\":" + version + "}",
        "Content-Type", "application/json", "X-Werkraum-Csrf", "1", "Origin", server.origin());
    assertEquals(200, ok.status(), ok.body());
  }
}
