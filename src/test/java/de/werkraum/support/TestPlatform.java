package de.werkraum.support;

import de.werkraum.Config;
import de.werkraum.Platform;
import de.werkraum.account.PasswordHasher;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** A real Werkraum server on a free port, on its own fresh database, for one test class. */
public final class TestPlatform implements AutoCloseable {

  private static final Map<String, String> HASHES = new HashMap<>();

  public final Vertx vertx;
  public Platform platform;
  public final Config config;

  private TestPlatform(Vertx vertx, Platform platform, Config config) {
    this.vertx = vertx;
    this.platform = platform;
    this.config = config;
  }

  public static TestPlatform start() {
    return start(Map.of());
  }

  /** Starts with the given extra environment; WERKRAUM_DB_URL defaults to a new test database. */
  public static TestPlatform start(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    int port = freePort();
    env.put("PORT", Integer.toString(port));
    env.put("WERKRAUM_DB_URL", TestDatabase.newDatabaseUrl());
    env.putAll(extraEnv);
    Config config = Config.fromEnvironment(env, false);
    Vertx vertx = Vertx.vertx();
    Platform platform = Platform.start(vertx, config).await();
    return new TestPlatform(vertx, platform, config);
  }

  /** Stops the server and starts it again on the same database and port (sockets drop, data stays). */
  public void restart() {
    stopServer();
    startAgain();
  }

  /** The first half of a restart: the server is gone (sockets drop, the port refuses) until {@link #startAgain()}. */
  public void stopServer() {
    platform.stop().await();
  }

  /** The second half of a restart: the same configuration, database and port. */
  public void startAgain() {
    platform = Platform.start(vertx, config).await();
  }

  public String baseUrl() {
    return "http://localhost:" + platform.port();
  }

  public String origin() {
    return config.publicOrigin();
  }

  public Pool pool() {
    return platform.pool();
  }

  public ApiClient client() {
    return new ApiClient(baseUrl(), origin());
  }

  /** Runs SQL directly, for arranging states (expired sessions, old invitations) a test needs. */
  public int sql(String sql, Object... params) {
    return pool().preparedQuery(sql).execute(Tuple.from(params)).await().rowCount();
  }

  public long sqlLong(String sql, Object... params) {
    return pool().preparedQuery(sql).execute(Tuple.from(params)).await().iterator().next().getLong(0);
  }

  /** Creates an account directly in the database (fast path for arranging tests). */
  public long createUser(String email, String password, String displayName, boolean admin) {
    String hash;
    synchronized (HASHES) {
      hash = HASHES.computeIfAbsent(password, p -> new PasswordHasher().hash(p));
    }
    return sqlLong("INSERT INTO users (email, password_hash, display_name, admin) VALUES ($1, $2, $3, $4) RETURNING id",
        email, hash, displayName, admin);
  }

  public long createSpace(String name) {
    return sqlLong("INSERT INTO spaces (name, description) VALUES ($1, '') RETURNING id", name);
  }

  public long createOrganisation(String name, String sector, String city, String description) {
    return sqlLong("INSERT INTO organisations (name, sector, city, description) VALUES ($1, $2, $3, $4) RETURNING id",
        name, sector, city, description);
  }

  public void addToSpace(long spaceId, long userId, String role) {
    sql("INSERT INTO space_members (space_id, user_id, role) VALUES ($1, $2, $3)", spaceId, userId, role);
  }

  /** A client already logged in as the given account. */
  public ApiClient loggedIn(String email, String password) {
    ApiClient client = client();
    ApiClient.Response r = client.post("/api/auth/login", Map.of("email", email, "password", password));
    if (r.status() != 200) {
      throw new IllegalStateException("login failed: " + r.status() + " " + r.body());
    }
    return client;
  }

  @Override
  public void close() {
    platform.stop().await();
    vertx.close().await();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
