package de.werkraum.support;

import de.werkraum.db.Database;
import de.werkraum.db.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.atomic.AtomicInteger;

/** One real embedded PostgreSQL for the whole test run; each test class gets a fresh database on it. */
public final class TestDatabase {

  private static EmbeddedDatabase server;
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestDatabase() {}

  public static synchronized EmbeddedDatabase server() {
    if (server == null) {
      try {
        Path dir = Files.createTempDirectory("werkraum-test-pg");
        server = EmbeddedDatabase.start(dir);
        EmbeddedDatabase started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (IOException ignored) {
            // the JVM is ending anyway
          }
        }));
      } catch (IOException e) {
        throw new IllegalStateException("cannot start embedded PostgreSQL", e);
      }
    }
    return server;
  }

  /** Creates an empty database and returns its URL. */
  public static String newDatabaseUrl() {
    String name = "werkraum_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    Database admin = Database.fromUrl(server().url());
    try (var c = DriverManager.getConnection(admin.jdbcUrl(), admin.jdbcProperties()); var s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create test database", e);
    }
    return server().url(name);
  }
}
