package de.werkraum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.werkraum.db.EmbeddedDatabase;
import de.werkraum.support.ApiClient;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start, stop and restart with the embedded database in a data folder, as a user runs it. */
class PlatformLifecycleTest {

  private static Config config(Path data, Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(extra);
    try (ServerSocket s = new ServerSocket(0)) {
      env.put("PORT", Integer.toString(s.getLocalPort()));
    }
    env.put("WERKRAUM_DATA", data.toString());
    env.put("WERKRAUM_ADMIN_EMAIL", "admin@restart.de");
    env.put("WERKRAUM_ADMIN_PASSWORD", "Schiffshebewerk-Henrichenburg");
    return Config.fromEnvironment(env, false);
  }

  @Test
  void dataCreatedBeforeARestartIsThereAfterIt() throws Exception {
    Path data = Files.createTempDirectory("werkraum-restart");
    Vertx vertx = Vertx.vertx();
    Platform platform = null;
    try {
      Config first = config(data, Map.of("WERKRAUM_DEMO", "true"));
      platform = Platform.start(vertx, first).await();
      ApiClient admin = ApiClient.forTest("http://localhost:" + platform.port(), first.publicOrigin());
      admin.post("/api/auth/login", Map.of("email", "admin@restart.de", "password", "Schiffshebewerk-Henrichenburg"));
      assertEquals(201, admin.post("/api/organisations", Map.of("name", "Vor dem Neustart", "sector", "science")).status());
      long demoMembers = admin.get("/api/members?size=1").json().getLong("total");
      assertEquals(true, demoMembers >= 30, "demo data written: " + demoMembers);
      platform.stop().await();
      platform = null;

      Config second = config(data, Map.of("WERKRAUM_DEMO", "true"));
      platform = Platform.start(vertx, second).await();
      ApiClient again = ApiClient.forTest("http://localhost:" + platform.port(), second.publicOrigin());
      assertEquals(200, again.post("/api/auth/login", Map.of("email", "admin@restart.de", "password", "Schiffshebewerk-Henrichenburg")).status());
      assertEquals(1, again.get("/api/organisations?q=Neustart").json().getLong("total"));
      assertEquals(demoMembers, again.get("/api/members?size=1").json().getLong("total"), "demo data not written twice");
      assertEquals(4, again.get("/api/spaces").items().size());
    } finally {
      if (platform != null) {
        platform.stop().await();
      }
      vertx.close().await();
    }
  }

  @Test
  void healthReportsDownWhenTheDatabaseIsGone() throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("werkraum-health"));
    Vertx vertx = Vertx.vertx();
    Platform platform = null;
    try {
      Config config = config(Files.createTempDirectory("werkraum-health-data"), Map.of("WERKRAUM_DB_URL", db.url()));
      platform = Platform.start(vertx, config).await();
      ApiClient client = ApiClient.forTest("http://localhost:" + platform.port(), config.publicOrigin());
      assertEquals(200, client.get("/health").status());
      db.close();
      ApiClient.Response down = client.get("/health");
      assertEquals(503, down.status());
      assertEquals("DOWN", down.json().getString("status"));
    } finally {
      if (platform != null) {
        platform.stop().await();
      }
      vertx.close().await();
      db.close();
    }
  }
}
