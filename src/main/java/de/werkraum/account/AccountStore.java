package de.werkraum.account;

import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** SQL for accounts and the one-time set-up token. */
public final class AccountStore {

  /** What login needs to know about an account. */
  public record Credentials(long id, String email, String displayName, boolean admin, boolean active, String passwordHash) {
    public CurrentUser user() {
      return new CurrentUser(id, email, displayName, admin);
    }
  }

  /** An account as the admin page lists it. */
  public record AccountSummary(long id, String email, String displayName, boolean admin, boolean active, String createdAt) {}

  private final Pool pool;

  public AccountStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  public Future<Credentials> credentialsByEmail(String email) {
    return pool.preparedQuery("SELECT id, email, display_name, admin, active, password_hash FROM users WHERE lower(email) = lower($1)")
        .execute(Tuple.of(email))
        .map(rows -> rows.size() == 0 ? null : credentials(rows.iterator().next()));
  }

  public Future<Credentials> credentialsById(long id) {
    return pool.preparedQuery("SELECT id, email, display_name, admin, active, password_hash FROM users WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : credentials(rows.iterator().next()));
  }

  private static Credentials credentials(Row r) {
    return new Credentials(r.getLong(0), r.getString(1), r.getString(2), r.getBoolean(3), r.getBoolean(4), r.getString(5));
  }

  /** Inserts an account; a taken email fails with 409 email_taken. */
  public Future<Long> insert(SqlClient client, String email, String passwordHash, String displayName, boolean admin) {
    return client.preparedQuery("INSERT INTO users (email, password_hash, display_name, admin) VALUES ($1, $2, $3, $4) RETURNING id")
        .execute(Tuple.of(email, passwordHash, displayName, admin))
        .<Long>map(rows -> rows.iterator().next().getLong(0))
        .recover(e -> Future.failedFuture(isUniqueViolation(e)
            ? new ApiError(409, "email_taken", "An account with this email address exists already", "email")
            : e));
  }

  public Future<Boolean> emailTaken(String email) {
    return pool.preparedQuery("SELECT 1 FROM users WHERE lower(email) = lower($1)")
        .execute(Tuple.of(email))
        .map(rows -> rows.size() > 0);
  }

  public Future<Void> setPassword(SqlClient client, long userId, String passwordHash) {
    return client.preparedQuery("UPDATE users SET password_hash = $2 WHERE id = $1")
        .execute(Tuple.of(userId, passwordHash))
        .mapEmpty();
  }

  public Future<Boolean> adminExists(SqlClient client) {
    return client.query("SELECT 1 FROM users WHERE admin AND active LIMIT 1").execute().map(rows -> rows.size() > 0);
  }

  public Future<Integer> setActive(SqlClient client, long userId, boolean active) {
    return client.preparedQuery("UPDATE users SET active = $2 WHERE id = $1")
        .execute(Tuple.of(userId, active))
        .map(rows -> rows.rowCount());
  }

  public Future<AccountSummary> summary(long id) {
    return pool.preparedQuery("SELECT id, email, display_name, admin, active, created_at FROM users WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : summary(rows.iterator().next()));
  }

  public Future<List<AccountSummary>> list(String q, int limit, int offset) {
    return pool.preparedQuery("""
            SELECT id, email, display_name, admin, active, created_at FROM users
            WHERE $1::text IS NULL OR email ILIKE '%' || $1 || '%' OR display_name ILIKE '%' || $1 || '%'
            ORDER BY lower(display_name), id LIMIT $2 OFFSET $3""")
        .execute(Tuple.of(q, limit, offset))
        .map(rows -> {
          List<AccountSummary> list = new ArrayList<>();
          rows.forEach(r -> list.add(summary(r)));
          return list;
        });
  }

  public Future<Long> count(String q) {
    return pool.preparedQuery("""
            SELECT count(*) FROM users
            WHERE $1::text IS NULL OR email ILIKE '%' || $1 || '%' OR display_name ILIKE '%' || $1 || '%'""")
        .execute(Tuple.of(q))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static AccountSummary summary(Row r) {
    return new AccountSummary(r.getLong(0), r.getString(1), r.getString(2), r.getBoolean(3), r.getBoolean(4),
        r.getOffsetDateTime(5).toInstant().toString());
  }

  public Future<Void> replaceSetupToken(byte[] digest) {
    return pool.preparedQuery("""
            INSERT INTO setup_token (id, token_hash) VALUES (1, $1)
            ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()""")
        .execute(Tuple.of(Buffer.buffer(digest)))
        .mapEmpty();
  }

  /** Deletes the set-up token if it matches; true when it did (so it can be used once only). */
  public Future<Boolean> consumeSetupToken(SqlClient client, byte[] digest) {
    return client.preparedQuery("DELETE FROM setup_token WHERE id = 1 AND token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(digest)))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Void> deleteSetupToken() {
    return pool.query("DELETE FROM setup_token").execute().mapEmpty();
  }

  /** Space memberships are part of an account's invitation; kept here so accepting is one transaction. */
  public Future<Void> joinSpace(SqlClient client, long spaceId, long userId, String role) {
    return client.preparedQuery("""
            INSERT INTO space_members (space_id, user_id, role) VALUES ($1, $2, $3)
            ON CONFLICT (space_id, user_id) DO UPDATE SET role = EXCLUDED.role""")
        .execute(Tuple.of(spaceId, userId, role))
        .mapEmpty();
  }

  static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && "23505".equals(pg.getSqlState());
  }
}
