package de.werkraum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.ServerJvm;
import de.werkraum.support.WriteLoad;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real server in its own JVM, under a load of posts and profile edits, killed with SIGKILL at different
 * moments (while it creates its database, under load, with its watchdog, while it starts) and started again on the same data folder with no manual step; its PostgreSQL killed alone; a
 * second server on the same folder. Every write that was acknowledged is there exactly once, and nothing
 * is there twice.
 */
class HardKillTest {

  private static final Duration START = Duration.ofSeconds(180);
  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @Test
  void hardKillsOfServerAndDatabaseLoseNothingAcknowledgedAndNeedNoOperator() throws Exception {
    Path root = Files.createTempDirectory("werkraum-hardkill");
    Path data = root.resolve("data");
    int port = ServerJvm.freePort();
    // 0. Killed during its very first start, while its database is being created.
    ServerJvm first = ServerJvm.start(data, port, "run0");
    try {
      awaitPath(data.resolve("postgres.init"), first);
    } finally {
      first.killHard();
    }
    ServerJvm server = ServerJvm.start(data, port, "run1");
    ServerJvm second = null;
    try {
      server.awaitHealthy(START);
      ApiClient admin = server.client();
      assertEquals(200, admin.post("/api/auth/login", Map.of("email", ServerJvm.ADMIN_EMAIL, "password", ServerJvm.ADMIN_PASSWORD)).status());
      long space = admin.post("/api/spaces", Map.of("name", "Emscher", "description", "")).json().getLong("id");
      // Posts are limited per participant and room (30 a minute): the load spreads over three rooms.
      List<Long> rooms = List.of(1, 2, 3).stream()
          .map(i -> admin.post("/api/spaces/" + space + "/rooms", Map.of("name", "Umbau " + i)).json().getLong("id")).toList();
      long profile = admin.post("/api/spaces/" + space + "/profiles", Map.of()).json().getLong("id");
      WriteLoad load = new WriteLoad(vertx, admin, rooms, profile);

      // 1. Killed under load: the watchdog stops the orphaned PostgreSQL.
      load.start(server);
      load.awaitMoreAcks(20);
      long postmaster1 = postmasterPid(data);
      server.killHard();
      load.stop();
      load.log("run 1 killed");
      Optional<ProcessHandle> left = ProcessHandle.of(postmaster1);
      if (left.isPresent()) {
        left.get().onExit().get(90, TimeUnit.SECONDS);
      }

      // 2. Killed with its child processes (no watchdog left): its PostgreSQL keeps running, orphaned.
      server = ServerJvm.start(data, port, "run2");
      server.awaitHealthy(START);
      load.start(server);
      load.awaitMoreAcks(20);
      long postmaster2 = postmasterPid(data);
      server.killHardWithChildren();
      load.stop();
      load.log("run 2 killed with its children");
      assertTrue(ProcessHandle.of(postmaster2).map(ProcessHandle::isAlive).orElse(false),
          "the PostgreSQL of a server killed with its watchdog is left running (the case the start must heal)");

      // 3. The next start stops that one, starts its own, and is killed while it starts (before it is healthy).
      server = ServerJvm.start(data, port, "run3");
      awaitNewPostmaster(data, postmaster2, server);
      server.killHardWithChildren();
      assertTrue(ProcessHandle.of(postmaster2).isEmpty() || !ProcessHandle.of(postmaster2).get().isAlive(),
          "the PostgreSQL left behind was stopped by the next start");

      // 4. Starts again with no manual step; load; then its PostgreSQL alone is killed and brought back.
      server = ServerJvm.start(data, port, "run4");
      server.awaitHealthy(START);
      load.start(server);
      load.awaitMoreAcks(20);
      long postmaster4 = postmasterPid(data);
      ProcessHandle.of(postmaster4).ifPresent(ProcessHandle::destroyForcibly);
      load.log("run 4: PostgreSQL killed");
      awaitNewPostmaster(data, postmaster4, server);
      load.log("run 4: PostgreSQL started again");
      server.awaitHealthy(START);
      load.log("run 4: healthy again");
      load.awaitMoreAcks(20);
      load.stop();
      load.log("run 4 stopped");
      assertTrue(server.isAlive(), "the server went on while its database was restarted");

      // 5. A second server on the same data folder is refused, and touches nothing.
      long postmaster5 = postmasterPid(data);
      second = ServerJvm.start(data, ServerJvm.freePort(), "second");
      assertNotEquals(0, second.awaitExit(START), "a second server on the same data folder must fail");
      assertTrue(second.output().contains("is in use by another running Werkraum"), second.output());
      assertEquals(postmaster5, postmasterPid(data));
      assertEquals(200, server.health());

      // Every acknowledged write is there exactly once; nothing is there twice; nothing unknown.
      load.resendPending(server);
      Map<String, Integer> messages = messageKeys(data, rooms);
      for (String key : load.ackedKeys) {
        assertEquals(1, messages.getOrDefault(key, 0), "acknowledged post " + key);
      }
      for (Map.Entry<String, Integer> m : messages.entrySet()) {
        assertTrue(load.sentKeys.contains(m.getKey()), "a message nobody sent: " + m.getKey());
        assertEquals(1, m.getValue(), "stored twice: " + m.getKey());
      }
      String text = documentText(admin, profile, "summary");
      Map<String, Integer> tokens = tokens(text);
      for (String token : load.ackedTokens) {
        assertEquals(1, tokens.getOrDefault(token, 0), "acknowledged edit " + token + " in " + text);
      }
      for (Map.Entry<String, Integer> t : tokens.entrySet()) {
        assertTrue(load.sentTokens.contains(t.getKey()), "an edit nobody sent: " + t.getKey());
        assertEquals(1, t.getValue(), "applied twice: " + t.getKey());
      }
      assertTrue(load.ackedKeys.size() >= 80 && load.ackedTokens.size() >= 1, "load ran: " + load.ackedKeys.size()
          + " posts, " + load.ackedTokens.size() + " edits");

      // The database takes no connection without the password kept in the data folder.
      Properties noPassword = new Properties();
      noPassword.setProperty("user", "postgres");
      assertThrows(SQLException.class, () -> DriverManager.getConnection(jdbcUrl(data), noPassword).close());
    } finally {
      if (second != null) {
        second.close();
      }
      server.close();
    }
    assertTrue(ProcessHandle.of(postmasterPidOrZero(data)).isEmpty(), "a clean stop stops PostgreSQL");
    deleteTree(root); // kept (with the servers' logs) when the test failed
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var files = Files.walk(root)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private static void awaitPath(Path path, ServerJvm server) throws InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    while (!Files.exists(path)) {
      if (System.nanoTime() > deadline || !server.isAlive()) {
        throw new AssertionError(path + " never appeared:\n" + server.output());
      }
      Thread.sleep(10);
    }
  }

  /** Waits until the server has started a PostgreSQL other than {@code previous} (its pid file names a living one). */
  private static void awaitNewPostmaster(Path data, long previous, ServerJvm server) throws InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      long pid = postmasterPidOrZero(data);
      if (pid != 0 && pid != previous && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return;
      }
      if (!server.isAlive()) {
        throw new AssertionError("server ended:\n" + server.output());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no new PostgreSQL started:\n" + server.output());
  }

  private static long postmasterPid(Path data) {
    long pid = postmasterPidOrZero(data);
    assertNotEquals(0, pid, "postmaster.pid");
    return pid;
  }

  private static long postmasterPidOrZero(Path data) {
    try {
      return Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim());
    } catch (Exception e) {
      return 0;
    }
  }

  private static String jdbcUrl(Path data) throws Exception {
    String port = Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(3).trim();
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  /** Talks SQL to the server's database with the password from its data folder. */
  private static Map<String, Integer> messageKeys(Path data, List<Long> rooms) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("password", Files.readString(data.resolve("postgres-password"), StandardCharsets.US_ASCII).trim());
    Map<String, Integer> keys = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl(data), p);
        PreparedStatement s = c.prepareStatement("SELECT client_key, count(*) FROM messages WHERE room_id = ANY (?) GROUP BY client_key")) {
      s.setArray(1, c.createArrayOf("bigint", rooms.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          keys.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    return keys;
  }

  private static String documentText(ApiClient client, long profile, String field) {
    JsonArray ops = client.get("/api/profiles/" + profile).json().getJsonObject("fields").getJsonArray(field);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < ops.size(); i++) {
      Object insert = ops.getJsonObject(i).getValue("insert");
      if (insert instanceof String s) {
        text.append(s);
      }
    }
    return text.toString();
  }

  private static Map<String, Integer> tokens(String text) {
    Map<String, Integer> counts = new HashMap<>();
    Matcher m = Pattern.compile("\\[e\\d+]").matcher(text);
    while (m.find()) {
      counts.merge(m.group(), 1, Integer::sum);
    }
    return counts;
  }

}
