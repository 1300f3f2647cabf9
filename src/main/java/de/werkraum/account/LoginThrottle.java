package de.werkraum.account;

import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Counts failed logins per email address and per client address in a sliding window, in the
 * database so every node counts the same. The answer does not depend on whether the account exists.
 */
public final class LoginThrottle {

  public static final Duration WINDOW = Duration.ofMinutes(15);
  public static final int PER_ACCOUNT = 5;
  public static final int PER_ADDRESS = 30;

  private final Pool pool;

  public LoginThrottle(Pool pool) {
    this.pool = pool;
  }

  /** Fails with 429 login_throttled while either key is over its limit. */
  public Future<Void> check(String email, String address) {
    return pool.preparedQuery("""
            SELECT key, count(*), min(failed_at) FROM login_failures
            WHERE key = ANY($1) AND failed_at > now() - make_interval(secs => $2::int) GROUP BY key""")
        .execute(Tuple.of(new String[] {accountKey(email), addressKey(address)}, (int) WINDOW.toSeconds()))
        .compose(rows -> {
          for (Row r : rows) {
            boolean account = r.getString(0).startsWith("account:");
            long count = r.getLong(1);
            if (count >= (account ? PER_ACCOUNT : PER_ADDRESS)) {
              OffsetDateTime oldest = r.getOffsetDateTime(2);
              long retry = Math.max(1, Duration.between(OffsetDateTime.now(), oldest.plus(WINDOW)).toSeconds());
              return Future.failedFuture(new Throttled(retry));
            }
          }
          return Future.succeededFuture();
        });
  }

  public Future<Void> recordFailure(String email, String address) {
    return pool.preparedQuery("INSERT INTO login_failures (key) VALUES ($1), ($2)")
        .execute(Tuple.of(accountKey(email), addressKey(address)))
        .mapEmpty();
  }

  public Future<Void> clear(String email) {
    return pool.preparedQuery("DELETE FROM login_failures WHERE key = $1")
        .execute(Tuple.of(accountKey(email)))
        .mapEmpty();
  }

  public Future<Void> purgeOld() {
    return pool.preparedQuery("DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $1::int)")
        .execute(Tuple.of((int) WINDOW.toSeconds()))
        .mapEmpty();
  }

  private static String accountKey(String email) {
    return "account:" + email.toLowerCase();
  }

  private static String addressKey(String address) {
    return "address:" + address;
  }

  /** The refusal, carrying the seconds until the next attempt may succeed. */
  public static final class Throttled extends RuntimeException {
    private final long retryAfterSeconds;

    Throttled(long retryAfterSeconds) {
      super("Too many failed logins; try again later", null, false, false);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }

    public ApiError toApiError() {
      return new ApiError(429, "login_throttled", "Too many failed logins; try again in " + retryAfterSeconds + " seconds");
    }
  }
}
