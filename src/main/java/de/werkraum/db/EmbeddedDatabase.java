package de.werkraum.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server the platform starts itself when no database URL is configured.
 * Its data lives in a folder of our data directory, so it survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private boolean closed;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Blocking: unpacks the binaries on first use, runs initdb if needed, starts the server. */
  public static EmbeddedDatabase start(Path dataDir) throws IOException {
    Path pgData = dataDir.toAbsolutePath().normalize().resolve("postgres");
    Files.createDirectories(pgData);
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        // zonky's defaults trade durability for speed; an acknowledged write must survive a crash.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "100")
        .start();
    EmbeddedDatabase db = new EmbeddedDatabase(postgres);
    db.verifyDurability();
    LOG.info("embedded PostgreSQL started port={} data={}", postgres.getPort(), pgData);
    return db;
  }

  public int port() {
    return postgres.getPort();
  }

  /** A libpq-style URL for the superuser database of this server. */
  public String url() {
    return "postgresql://postgres@localhost:" + port() + "/postgres";
  }

  private void verifyDurability() throws IOException {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      for (String setting : new String[] {"fsync", "synchronous_commit"}) {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
          rs.next();
          if (!"on".equals(rs.getString(1))) {
            throw new IOException("embedded PostgreSQL runs with " + setting + "=" + rs.getString(1));
          }
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot check embedded PostgreSQL settings", e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    postgres.close();
    LOG.info("embedded PostgreSQL stopped");
  }
}
