package de.werkraum.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every class of bad input gets its own stable code and changes nothing. */
class ApiErrorsTest {

  static TestPlatform server;
  static ApiClient admin;
  static final String PASSWORD = "Landschaftspark-Nord-7";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    server.createUser("errors@test.de", PASSWORD, "Admin", true);
    admin = server.loggedIn("errors@test.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String[] jsonHeaders(TestPlatform s) {
    return new String[] {"Content-Type", "application/json", "Origin", s.origin(), "X-Werkraum-Csrf", "1"};
  }

  private long organisations() {
    return server.sqlLong("SELECT count(*) FROM organisations");
  }

  private void assertError(ApiClient.Response r, int status, String code) {
    assertEquals(status, r.status(), r.body());
    JsonObject error = r.json().getJsonObject("error");
    assertEquals(code, error.getString("code"));
    assertNotNull(error.getString("message"));
    assertFalse(r.body().contains("Exception"), "no stack trace or class names leak: " + r.body());
  }

  @Test
  void malformedJsonIsRefused() {
    long before = organisations();
    assertError(admin.raw("POST", "/api/organisations", "{\"name\": \"x\",", jsonHeaders(server)), 400, "malformed_json");
    assertError(admin.raw("POST", "/api/organisations", "[1,2]", jsonHeaders(server)), 400, "malformed_json");
    assertError(admin.raw("POST", "/api/organisations", "", jsonHeaders(server)), 400, "malformed_json");
    assertEquals(before, organisations());
  }

  @Test
  void missingFieldIsNamed() {
    ApiClient.Response r = admin.post("/api/organisations", Map.of("sector", "science"));
    assertError(r, 400, "missing_field");
    assertEquals("name", r.json().getJsonObject("error").getString("field"));
  }

  @Test
  void wrongTypeAndUnknownValueAreInvalid() {
    assertError(admin.post("/api/organisations", Map.of("name", 42, "sector", "science")), 400, "invalid_field");
    assertError(admin.post("/api/organisations", Map.of("name", "Zeche", "sector", "mining")), 400, "invalid_field");
    assertError(admin.post("/api/organisations", Map.of("name", "Zeche", "sector", "science", "website", "javascript:alert(1)")), 400, "invalid_field");
    assertError(admin.post("/api/invitations", Map.of("email", "not-an-address")), 400, "invalid_field");
  }

  @Test
  void oversizedFieldIsRefused() {
    long before = organisations();
    ApiClient.Response r = admin.post("/api/organisations", Map.of("name", "x".repeat(201), "sector", "science"));
    assertError(r, 400, "field_too_long");
    assertEquals("name", r.json().getJsonObject("error").getString("field"));
    assertEquals(before, organisations());
  }

  @Test
  void oversizedBodyIsRefused() {
    String huge = new JsonObject().put("name", "Zeche").put("sector", "science").put("description", "y".repeat(70_000)).encode();
    assertError(admin.raw("POST", "/api/organisations", huge, jsonHeaders(server)), 413, "payload_too_large");
  }

  @Test
  void bodyThatIsNotJsonIsRefused() {
    assertError(admin.raw("POST", "/api/organisations", "name=x", "Content-Type", "application/x-www-form-urlencoded",
        "Origin", server.origin(), "X-Werkraum-Csrf", "1"), 415, "unsupported_media_type");
  }

  @Test
  void unknownIdsAreNotFound() {
    assertError(admin.get("/api/organisations/999999"), 404, "not_found");
    assertError(admin.get("/api/members/999999"), 404, "not_found");
    assertError(admin.get("/api/spaces/999999"), 404, "not_found");
    assertError(admin.get("/api/spaces/abc"), 404, "not_found");
    assertError(admin.get("/api/spaces/999999/members"), 404, "not_found");
    assertError(admin.put("/api/spaces/999999", Map.of("name", "X", "version", 1)), 404, "not_found");
    assertError(admin.get("/api/no-such-thing"), 404, "not_found");
  }

  @Test
  void badQueryParametersAreRefused() {
    assertError(admin.get("/api/members?page=abc"), 400, "invalid_query");
    assertError(admin.get("/api/members?size=1000"), 400, "invalid_query");
    assertError(admin.get("/api/organisations?sector=mining"), 400, "invalid_query");
    assertError(admin.get("/api/members?space=-1"), 400, "invalid_query");
  }

  @Test
  void unknownOrganisationOnProfileIsInvalid() {
    int version = admin.get("/api/me").json().getInteger("version");
    ApiClient.Response r = admin.put("/api/me", Map.of("displayName", "Admin", "organisationId", 987654, "version", version));
    assertError(r, 400, "invalid_field");
    assertEquals("organisationId", r.json().getJsonObject("error").getString("field"));
  }

  @Test
  void healthAnswersUp() {
    ApiClient.Response r = server.client().get("/health");
    assertEquals(200, r.status());
    assertEquals("UP", r.json().getString("status"));
  }

  @Test
  void browserPagesAreServedWithAStrictContentPolicy() {
    ApiClient.Response r = server.client().get("/");
    assertEquals(200, r.status());
    String csp = r.raw().headers().firstValue("Content-Security-Policy").orElseThrow();
    assertEquals(true, csp.contains("default-src 'self'"), csp);
  }
}
