package de.werkraum.bench;

import de.werkraum.account.PasswordHasher;
import de.werkraum.account.Tokens;
import de.werkraum.db.Database;
import de.werkraum.db.EmbeddedDatabase;
import de.werkraum.db.Migrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The benchmark's own PostgreSQL (embedded, as the platform starts it: fsync and synchronous_commit on),
 * migrated by the platform's Flyway migrations and filled directly over JDBC: one space, its rooms, the
 * participants (all with one password hash, computed once) and a login session for each, so no one has
 * to log in through argon2 before the measurement.
 */
final class BenchDatabase implements AutoCloseable {

  private EmbeddedDatabase embedded;
  private final Path dir;
  private final Path dataDir;
  private boolean statementStats;
  private final List<String> tokens;
  private final long[] roomIds;

  private BenchDatabase(EmbeddedDatabase embedded, Path dir, List<String> tokens, long[] roomIds) {
    this.embedded = embedded;
    this.dir = dir;
    this.dataDir = dir.resolve("postgres");
    this.tokens = tokens;
    this.roomIds = roomIds;
  }

  /** Blocking: starts PostgreSQL in {@code dir}, migrates, and inserts {@code participants} users in {@code rooms} rooms. */
  static BenchDatabase start(Path dir, int participants, int rooms) throws IOException, SQLException {
    EmbeddedDatabase embedded = EmbeddedDatabase.start(dir);
    try {
      Database db = Database.fromUrl(embedded.url());
      Migrations.migrate(db);
      Properties props = db.jdbcProperties();
      props.setProperty("reWriteBatchedInserts", "true");
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), props)) {
        c.setAutoCommit(false);
        String hash = new PasswordHasher().hash(Tokens.newToken());
        long spaceId = seedSpace(c, hash);
        long[] roomIds = seedRooms(c, spaceId, rooms);
        List<Long> userIds = seedParticipants(c, spaceId, hash, participants);
        List<String> tokens = seedSessions(c, userIds);
        c.commit();
        try (Statement s = c.createStatement()) {
          c.setAutoCommit(true);
          s.execute("VACUUM ANALYZE");
        }
        return new BenchDatabase(embedded, dir, tokens, roomIds);
      }
    } catch (SQLException | RuntimeException e) {
      embedded.close();
      throw e;
    }
  }

  private static long seedSpace(Connection c, String hash) throws SQLException {
    // An admin exists, so the server does not print a set-up link; the admin never connects.
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO users (email, password_hash, display_name, admin) VALUES ('admin@bench.invalid', ?, 'Administration', true)")) {
      ps.setString(1, hash);
      ps.executeUpdate();
    }
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("INSERT INTO spaces (name, description) VALUES ('Lasttest', 'Raum für den Lasttest') RETURNING id")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long[] seedRooms(Connection c, long spaceId, int rooms) throws SQLException {
    long[] ids = new long[rooms];
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO rooms (space_id, name, kind) SELECT ?, 'Raum ' || g, 'standing' FROM generate_series(1, ?) g ORDER BY g RETURNING id")) {
      ps.setLong(1, spaceId);
      ps.setInt(2, rooms);
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < rooms && rs.next(); i++) {
          ids[i] = rs.getLong(1);
        }
      }
    }
    java.util.Arrays.sort(ids);
    return ids;
  }

  private static List<Long> seedParticipants(Connection c, long spaceId, String hash, int participants) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("""
        INSERT INTO users (email, password_hash, display_name)
        SELECT 'teilnehmerin' || g || '@bench.invalid', ?, 'Teilnehmerin ' || g FROM generate_series(1, ?) g ORDER BY g""")) {
      ps.setString(1, hash);
      ps.setInt(2, participants);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO space_members (space_id, user_id, role) SELECT ?, id, 'member' FROM users WHERE NOT admin")) {
      ps.setLong(1, spaceId);
      ps.executeUpdate();
    }
    List<Long> ids = new ArrayList<>(participants);
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM users WHERE NOT admin ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static List<String> seedSessions(Connection c, List<Long> userIds) throws SQLException {
    List<String> tokens = new ArrayList<>(userIds.size());
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO login_sessions (token_hash, user_id, expires_at) VALUES (?, ?, now() + interval '11 hours')")) {
      int batched = 0;
      for (long userId : userIds) {
        String token = Tokens.newToken();
        tokens.add(token);
        ps.setBytes(1, Tokens.digest(token));
        ps.setLong(2, userId);
        ps.addBatch();
        if (++batched % 1000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
    return tokens;
  }

  String url() {
    return embedded.url();
  }

  /** The session cookie value of participant {@code i} (0-based). */
  String token(int i) {
    return tokens.get(i);
  }

  long roomId(int i) {
    return roomIds[i];
  }

  int rooms() {
    return roomIds.length;
  }

  /** The postmaster's pid (first line of postmaster.pid), or -1. */
  long postmasterPid() {
    try {
      return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Diagnostics, on request only: restarts PostgreSQL with {@code pg_stat_statements} loaded, so the
   * report can say where the database's time goes. Costs the database a little CPU.
   */
  void enableStatementStats() throws IOException, SQLException {
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
      // Planning time too: a statement planned anew on every execution spends it outside total_exec_time.
      s.execute("ALTER SYSTEM SET pg_stat_statements.track_planning = on");
    }
    embedded.close();
    embedded = EmbeddedDatabase.start(dir);
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
    statementStats = true;
  }

  void resetStatementStats() throws SQLException {
    if (statementStats) {
      try (Connection c = jdbc(); Statement s = c.createStatement()) {
        s.execute("SELECT pg_stat_statements_reset()");
      }
    }
  }

  /** The statements that took the most database time since the last reset, as Markdown table rows. */
  List<String> topStatements(int limit) throws SQLException {
    List<String> rows = new ArrayList<>();
    if (!statementStats) {
      return rows;
    }
    try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(
        "SELECT calls, total_exec_time, mean_exec_time, total_plan_time, regexp_replace(left(query, 120), '\\s+', ' ', 'g')"
            + " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(String.format(java.util.Locale.ROOT, "| %,d | %,.0f | %.3f | %,.0f | `%s` |", rs.getLong(1), rs.getDouble(2),
              rs.getDouble(3), rs.getDouble(4), rs.getString(5).replace("|", "\\|").replace("`", "'")));
        }
      }
    }
    return rows;
  }

  private Connection jdbc() throws SQLException {
    Database db = Database.fromUrl(embedded.url());
    return DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
  }

  /** A new, empty profile in the space, created by the first participant; its id. */
  long createProfile() throws SQLException {
    try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement("""
        INSERT INTO profiles (space_id, title, created_by)
        SELECT s.id, 'Lasttest', (SELECT min(id) FROM users WHERE NOT admin) FROM spaces s ORDER BY s.id LIMIT 1 RETURNING id""");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Empties the message log so every run of the real server starts from the same state. */
  void clearMessages() throws SQLException {
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      // CASCADE: what refers to messages (pins, reports) goes with them.
      s.execute("TRUNCATE messages, message_edits, reactions, room_events, room_reads CASCADE");
      s.execute("UPDATE rooms SET last_seq = 0");
      s.execute("UPDATE login_sessions SET last_seen_at = now()");
      s.execute("VACUUM ANALYZE rooms");
    }
  }

  @Override
  public void close() throws IOException {
    embedded.close();
  }
}
