package de.werkraum.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Properties;

/** Connection settings for one PostgreSQL database, for the reactive pool and for Flyway's JDBC. */
public record Database(PgConnectOptions options) {

  /** Accepts {@code postgresql://user:password@host:port/db} (also {@code postgres://} and {@code jdbc:} prefixed). */
  public static Database fromUrl(String url) {
    String u = url.startsWith("jdbc:") ? url.substring(5) : url;
    if (u.startsWith("postgres://")) {
      u = "postgresql://" + u.substring("postgres://".length());
    }
    return new Database(PgConnectOptions.fromUri(u));
  }

  public Pool pool(Vertx vertx, int maxSize) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(maxSize))
        // Statements are prepared once per connection and kept. The limit on the text of a kept statement
        // (2,048 characters by default) is raised: the statements that carry the access and moderation
        // conditions are longer, and were parsed and planned anew on every execution (the room benchmark's
        // post statement spent twice as long being planned as being run).
        .connectingTo(new PgConnectOptions(options).setCachePreparedStatements(true)
            .setPreparedStatementCacheSqlLimit(16_384))
        .using(vertx)
        .build();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
  }

  public Properties jdbcProperties() {
    Properties p = new Properties();
    p.setProperty("user", options.getUser());
    if (options.getPassword() != null) {
      p.setProperty("password", options.getPassword());
    }
    return p;
  }

  /** The same server, another database on it. */
  public Database withDatabase(String name) {
    return new Database(new PgConnectOptions(options).setDatabase(name));
  }
}
