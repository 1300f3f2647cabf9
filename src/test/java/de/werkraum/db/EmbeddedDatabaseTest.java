package de.werkraum.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database's folder: its password, a database left running on it, and one server per folder. */
class EmbeddedDatabaseTest {

  /** Folders from before were made with initdb -A trust: on start they get the password, their data stays. */
  @Test
  void aFolderThatTrustedLocalConnectionsIsMovedToThePassword(@TempDir Path dir) throws Exception {
    try (EmbeddedPostgres old = trustingPostgres(dir)) {
      try (Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE before_the_update (id int); INSERT INTO before_the_update VALUES (7)");
      }
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
      assertRefusedWithoutPassword(db.port());
      assertEquals(1, count(db.url(), "SELECT * FROM before_the_update"));
      assertFalse(DatabasePassword.hbaTrusts(dir.resolve("postgres")));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("postgres-password"))));
    }
    // And the next start goes straight in with the password.
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
      assertRefusedWithoutPassword(db.port());
      assertEquals(1, count(db.url(), "SELECT * FROM before_the_update"));
    }
  }

  /** A server killed hard leaves its PostgreSQL running on the folder: the next start stops it and starts its own. */
  @Test
  void aPostgresLeftRunningOnTheFolderIsStoppedAndReplaced(@TempDir Path dir) throws Exception {
    EmbeddedPostgres left = trustingPostgres(dir);
    long leftPid = new Postmaster(dir.resolve("postgres")).recordedPid().orElseThrow();
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
      assertFalse(ProcessHandle.of(leftPid).map(ProcessHandle::isAlive).orElse(false), "the left-over postmaster was stopped");
      assertNotEquals(leftPid, db.postmasterPid());
      assertEquals(1, count(db.url(), "SELECT 1"));
    } finally {
      left.close(); // its postmaster is gone already; this only lets go of its lock file
    }
  }

  @Test
  void aSecondStartOnTheSameFolderIsRefusedAndTouchesNothing(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase first = EmbeddedDatabase.start(dir)) {
      long pid = first.postmasterPid();
      IOException refused = assertThrows(IOException.class, () -> EmbeddedDatabase.start(dir));
      assertTrue(refused.getMessage().contains("is in use by another running Werkraum"), refused.getMessage());
      assertEquals(pid, first.postmasterPid());
      assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      assertEquals(1, count(first.url(), "SELECT 1"));
      assertRefusedWithoutPassword(first.port());
    }
    // Once the first has stopped, the folder is free again.
    try (EmbeddedDatabase again = EmbeddedDatabase.start(dir)) {
      assertEquals(1, count(again.url(), "SELECT 1"));
    }
  }

  /** While the server runs, a PostgreSQL or a watchdog that ended is started again (same folder, same port, same URL). */
  @Test
  void aPostgresOrWatchdogThatDiesIsStartedAgain(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
      db.restartWhenGone(vertx);
      ProcessHandle watchdog = watchdogOf(db.postmasterPid()).orElseThrow();
      watchdog.destroyForcibly();
      assertTrue(awaitTrue(() -> watchdogOf(db.postmasterPid()).filter(w -> w.pid() != watchdog.pid()).isPresent()),
          "a new watchdog for the running PostgreSQL");

      long before = db.postmasterPid();
      ProcessHandle.of(before).orElseThrow().destroyForcibly();
      assertTrue(awaitTrue(() -> db.postmasterPid() != before), "PostgreSQL started again");
      assertEquals(1, count(db.url(), "SELECT 1"));
      assertTrue(watchdogOf(db.postmasterPid()).isPresent(), "the new PostgreSQL has its watchdog");
    } finally {
      vertx.close().await();
    }
  }

  private static Optional<ProcessHandle> watchdogOf(long postmasterPid) {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains("werkraum-pg-watchdog")
            && List.of(a).contains(Long.toString(postmasterPid))).orElse(false))
        .findFirst();
  }

  private static boolean awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** How the platform created its folders before: zonky's defaults (initdb -A trust). */
  private static EmbeddedPostgres trustingPostgres(Path dir) throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres")).setCleanDataDirectory(false)
        .setRegisterShutdownHook(false).start();
  }

  private static void assertRefusedWithoutPassword(int port) {
    Properties noPassword = new Properties();
    noPassword.setProperty("user", "postgres");
    assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", noPassword).close());
  }

  private static int count(String url, String sql) throws SQLException {
    Database db = Database.fromUrl(url);
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }
}
