package de.werkraum.account;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** SQL for login sessions. Sessions live in PostgreSQL so every node sees the same, and logout is real. */
public final class LoginSessionStore {

  /** A session found by its token, with the account's current state. */
  public record SessionRow(CurrentUser user, boolean active, OffsetDateTime lastSeen, OffsetDateTime expiresAt) {
    public boolean isValid(Duration idle) {
      OffsetDateTime now = OffsetDateTime.now();
      return active && now.isBefore(expiresAt) && now.isBefore(lastSeen.plus(idle));
    }

    /** When the session ends if no request comes meanwhile: its absolute end, or its idle limit if sooner. */
    public OffsetDateTime validUntil(Duration idle) {
      OffsetDateTime idleEnd = lastSeen.plus(idle);
      return idleEnd.isBefore(expiresAt) ? idleEnd : expiresAt;
    }
  }

  private final Pool pool;

  public LoginSessionStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> create(SqlClient client, String token, long userId, Duration lifetime) {
    OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(lifetime);
    return client.preparedQuery("INSERT INTO login_sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .execute(Tuple.of(Buffer.buffer(Tokens.digest(token)), userId, expires))
        .mapEmpty();
  }

  public Future<SessionRow> find(String token) {
    return findByDigest(Tokens.digest(token));
  }

  /** A session by the SHA-256 of its token (what a socket keeps to check its session again), or null. */
  public Future<SessionRow> findByDigest(byte[] digest) {
    return pool.preparedQuery("""
            SELECT u.id, u.email, u.display_name, u.admin, u.active, s.last_seen_at, s.expires_at
            FROM login_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1""")
        .execute(Tuple.of(Buffer.buffer(digest)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new SessionRow(
              new CurrentUser(r.getLong(0), r.getString(1), r.getString(2), r.getBoolean(3)),
              r.getBoolean(4), r.getOffsetDateTime(5), r.getOffsetDateTime(6));
        });
  }

  public Future<Void> touch(String token) {
    return pool.preparedQuery("UPDATE login_sessions SET last_seen_at = now() WHERE token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(Tokens.digest(token))))
        .mapEmpty();
  }

  public Future<Void> delete(String token) {
    return pool.preparedQuery("DELETE FROM login_sessions WHERE token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(Tokens.digest(token))))
        .mapEmpty();
  }

  /** Ends every session of the account, except the one given (may be null). */
  public Future<Void> deleteAllOf(SqlClient client, long userId, String exceptToken) {
    Buffer keep = Buffer.buffer(exceptToken == null ? new byte[0] : Tokens.digest(exceptToken));
    return client.preparedQuery("DELETE FROM login_sessions WHERE user_id = $1 AND token_hash <> $2")
        .execute(Tuple.of(userId, keep))
        .mapEmpty();
  }

  public Future<Void> purgeExpired(Duration idle) {
    return pool.preparedQuery("DELETE FROM login_sessions WHERE expires_at < now() OR last_seen_at < now() - make_interval(secs => $1::int)")
        .execute(Tuple.of((int) idle.toSeconds()))
        .mapEmpty();
  }
}
