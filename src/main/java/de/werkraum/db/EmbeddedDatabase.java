package de.werkraum.db;

import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server the platform starts itself when no database URL is configured.
 * Its data lives in a folder of our data directory, so it survives restarts. One Werkraum per data folder
 * ({@link DataFolderLock}); a PostgreSQL left running there by a server that died is stopped before the start
 * ({@link Postmaster}); one that dies while we run is started again ({@link #restartWhenGone}); none outlives
 * us for long ({@link PostmasterWatchdog}); every connection needs the password ({@link DatabasePassword}).
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  /** Crash recovery after a hard kill replays WAL before the server accepts connections. */
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(90);
  private static final long WATCH_EVERY_MS = 500;

  private final Path dataDir;
  private final Path pgData;
  private final DataFolderLock lock;
  private final String password;
  private final int port;
  private final Postmaster postmaster;
  // Changed only under this object's lock (launch, relaunch, close); read without it by the event-loop timer.
  private volatile EmbeddedPostgres postgres;
  private volatile ProcessHandle process;
  private volatile PostmasterWatchdog watchdog;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean restarting = new AtomicBoolean();

  private EmbeddedDatabase(Path dataDir, DataFolderLock lock, String password, int port) {
    this.dataDir = dataDir;
    this.pgData = dataDir.resolve("postgres");
    this.lock = lock;
    this.password = password;
    this.port = port;
    this.postmaster = new Postmaster(pgData);
  }

  /**
   * Blocking: locks the data folder (or refuses: another Werkraum runs on it), stops a PostgreSQL left
   * behind on it, unpacks the binaries on first use, runs initdb if needed, starts the server.
   */
  public static EmbeddedDatabase start(Path dataDir) throws IOException {
    Path dir = dataDir.toAbsolutePath().normalize();
    DataFolderLock lock = DataFolderLock.acquire(dir);
    try {
      Path pgData = dir.resolve("postgres");
      if (Files.exists(pgData.resolve("postgresql.conf")) && !DatabasePassword.hbaTrusts(pgData)
          && !Files.exists(DatabasePassword.file(dir))) {
        throw new IOException("The database in " + pgData + " needs the password kept in "
            + DatabasePassword.file(dir) + ", and that file is missing; restore it from a backup of the data folder.");
      }
      EmbeddedDatabase db = new EmbeddedDatabase(dir, lock, DatabasePassword.readOrCreate(dir), freePort());
      if (!Files.exists(pgData.resolve("postgresql.conf"))) {
        db.initialise();
      }
      db.launch();
      LOG.info("embedded PostgreSQL started port={} data={}", db.port, db.pgData);
      return db;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Creates the cluster of a new data folder in a folder of its own and moves it into place only when it is
   * complete: a server killed during initdb (or the first start) leaves a half-made {@code postgres.init},
   * which the next start removes and makes again, never a {@code postgres} that cannot start.
   */
  private void initialise() throws IOException {
    Path staging = dataDir.resolve("postgres.init");
    if (Files.exists(staging)) {
      LOG.warn("removing {}: an earlier first start did not finish", staging);
      // An initdb outlives a killed JVM; it must not go on writing into the folder made anew.
      ProcessHandle.allProcesses()
          .filter(p -> p.info().command().map(c -> c.endsWith("/initdb")).orElse(false))
          .filter(p -> p.info().arguments().map(a -> List.of(a).contains(staging.toString())).orElse(false))
          .forEach(p -> {
            p.destroyForcibly();
            p.onExit().join();
          });
      new Postmaster(staging).stopLeftover();
      try (Stream<Path> files = Files.walk(staging)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
    builder(staging).start().close();
    new Postmaster(staging).stopLeftover(); // zonky gives the stop 5 s; it must be over before the move
    if (Files.isDirectory(pgData)) {
      try {
        Files.delete(pgData); // an empty folder made by an older version
      } catch (DirectoryNotEmptyException e) {
        throw new IOException(pgData + " holds files but no PostgreSQL cluster (no postgresql.conf); move it away", e);
      }
    }
    Files.move(staging, pgData, StandardCopyOption.ATOMIC_MOVE);
    LOG.info("new PostgreSQL cluster in {}", pgData);
  }

  private EmbeddedPostgres.Builder builder(Path folder) {
    return EmbeddedPostgres.builder()
        .setDataDirectory(folder)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPort(port)
        .setPGStartupWait(STARTUP_WAIT)
        // initdb of a new folder: the superuser gets the password at once, no moment with trust.
        .setLocaleConfig("auth", DatabasePassword.METHOD)
        .setLocaleConfig("pwfile", DatabasePassword.file(dataDir).toString())
        .setConnectConfig("password", password)
        // zonky's defaults trade durability for speed; an acknowledged write must survive a crash.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "100");
  }

  /** Starts the postmaster on our folder and port; on failure nothing of it is left running. */
  private synchronized void launch() throws IOException {
    if (!Files.exists(pgData.resolve("postgresql.conf"))) {
      throw new IOException(pgData + " is not a complete PostgreSQL data folder (no postgresql.conf)");
    }
    if (postmaster.stopLeftover()) {
      LOG.info("stopped the PostgreSQL left behind on {}", pgData);
    }
    // zonky's own lock in the folder stays taken in this JVM when one of its starts fails; ours guards the folder.
    Files.deleteIfExists(pgData.resolve("epg-lock"));
    EmbeddedPostgres pg;
    try {
      pg = builder(pgData).start();
    } catch (IOException | RuntimeException e) {
      // A postmaster that did not become ready in time may still be running.
      try {
        postmaster.stopLeftover();
      } catch (IOException | RuntimeException stopFailed) {
        e.addSuppressed(stopFailed);
      }
      throw e;
    }
    try {
      if (DatabasePassword.hbaTrusts(pgData)) {
        requirePassword(pg);
      }
      verifyDurability(pg);
      verifyPasswordRequired();
      ProcessHandle started = postmaster.running()
          .orElseThrow(() -> new IOException("the PostgreSQL on " + pgData + " ended right after its start"));
      watchdog = PostmasterWatchdog.watch(started.pid(), pgData);
      postgres = pg;
      process = started;
    } catch (IOException | RuntimeException e) {
      pg.close();
      try {
        postmaster.stopLeftover(); // zonky gives the stop 5 s
      } catch (IOException | RuntimeException stopFailed) {
        e.addSuppressed(stopFailed);
      }
      throw e;
    }
  }

  /**
   * From now on, a postmaster that ends without us stopping it (killed, crashed, stopped by hand) is started
   * again on the same folder and port, retried every half second until it runs. The pool's connections fail
   * meanwhile ({@code /health} answers 503) and it opens new ones afterwards by itself.
   */
  public void restartWhenGone(Vertx vertx) {
    vertx.setPeriodic(WATCH_EVERY_MS, timer -> {
      if (closed.get()) {
        vertx.cancelTimer(timer);
        return;
      }
      // Never waits for the lock on the event loop: a restart in progress holds it for seconds.
      if ((process.isAlive() && watchdog.isAlive()) || !restarting.compareAndSet(false, true)) {
        return;
      }
      vertx.executeBlocking(() -> {
        relaunch();
        return null;
      }, false).onComplete(ar -> {
        restarting.set(false);
        if (ar.failed()) {
          LOG.warn("embedded PostgreSQL not started again yet: {}", ar.cause().getMessage());
        }
      });
    });
  }

  private synchronized void relaunch() throws IOException {
    if (closed.get()) {
      return;
    }
    if (process != null && process.isAlive()) {
      // Only the watchdog ended: the database runs, it gets a new one.
      watchdog = PostmasterWatchdog.watch(process.pid(), pgData);
      LOG.warn("the embedded PostgreSQL's watchdog had ended; started a new one");
      return;
    }
    if (postgres != null) {
      LOG.warn("the embedded PostgreSQL (pid {}) has ended; starting it again", process.pid());
      watchdog.close();
      EmbeddedPostgres gone = postgres;
      postgres = null;
      postmaster.removeStalePidFile();
      gone.close();
    }
    launch();
    LOG.info("embedded PostgreSQL running again port={} pid={}", port, process.pid());
  }

  public int port() {
    return port;
  }

  /** A libpq-style URL, password included, for the superuser database of this server. */
  public String url() {
    return url("postgres");
  }

  /** A libpq-style URL, password included, for another database on this server. */
  public String url(String database) {
    return "postgresql://postgres:" + password + "@localhost:" + port + "/" + database;
  }

  /** The pid of the running postmaster (for tests that kill it). */
  public long postmasterPid() {
    return process.pid();
  }

  /** A folder from before: trust on 127.0.0.1 is replaced by the password (set first, then required). */
  private void requirePassword(EmbeddedPostgres pg) throws IOException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("SET password_encryption = '" + DatabasePassword.METHOD + "'");
      // The password is hex (checked when read), so it can stand in the statement, which takes no parameters.
      s.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
      DatabasePassword.writeHba(pgData);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException("cannot set the embedded PostgreSQL's password", e);
    }
    LOG.info("embedded PostgreSQL now requires the password in {} (was: trust)", DatabasePassword.file(dataDir));
  }

  /** A connection without the password must be refused (a reload takes effect within moments). */
  private void verifyPasswordRequired() throws IOException {
    Properties noPassword = new Properties();
    noPassword.setProperty("user", "postgres");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", noPassword)) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the embedded PostgreSQL accepts connections without a password");
        }
      } catch (SQLException refused) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static void verifyDurability(EmbeddedPostgres pg) throws IOException {
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops PostgreSQL cleanly (fast shutdown), then gives up the data folder. */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      synchronized (this) {
        if (watchdog != null) {
          watchdog.close();
        }
        if (postgres != null) {
          postgres.close();
        }
        // zonky waits 5 s for the stop; whatever still runs gets the full sequence.
        postmaster.stopLeftover();
      }
      LOG.info("embedded PostgreSQL stopped");
    } finally {
      lock.close();
    }
  }
}
