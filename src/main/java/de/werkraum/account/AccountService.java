package de.werkraum.account;

import de.werkraum.Config;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HexFormat;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules of accounts: logging in and out, first-run set-up, passwords, deactivation. */
public final class AccountService {

  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

  /**
   * Published when access ends while sockets may be open: {@code {"userId":n}} (deactivated),
   * {@code {"userId":n,"exceptSession":"<hex digest>"}} (password changed: the other sessions ended) or
   * {@code {"session":"<hex digest>"}} (logged out). Gateways close the matching sockets with 1008. (A
   * session that runs out by time is noticed by each socket's own timer.)
   */
  public static final String ACCESS_ENDED = "werkraum.account.access-ended";

  /** A user who just got a new session. */
  public record LoggedIn(CurrentUser user, String token) {}

  private final Vertx vertx;
  private final Config config;
  private final AccountStore store;
  private final LoginSessionStore sessions;
  private final LoginThrottle throttle;
  private final PasswordPolicy policy;
  private final PasswordHasher hasher = new PasswordHasher();
  private final String dummyHash;

  public AccountService(Vertx vertx, Config config, Pool pool, PasswordPolicy policy) {
    this.vertx = vertx;
    this.config = config;
    this.store = new AccountStore(pool);
    this.sessions = new LoginSessionStore(pool);
    this.throttle = new LoginThrottle(pool);
    this.policy = policy;
    // Unknown emails are checked against this, so they take as long as known ones.
    this.dummyHash = hasher.hash(Tokens.newToken());
  }

  public AccountStore store() {
    return store;
  }

  public LoginSessionStore sessions() {
    return sessions;
  }

  public PasswordPolicy policy() {
    return policy;
  }

  /** argon2id is deliberately slow: hash on a worker, unordered so logins run in parallel. */
  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> hasher.hash(password), false);
  }

  private Future<Boolean> verify(String password, String encoded) {
    return vertx.executeBlocking(() -> hasher.verify(password, encoded), false);
  }

  public Future<LoggedIn> login(String email, String password, String address) {
    return throttle.check(email, address)
        .compose(v -> store.credentialsByEmail(email))
        .compose(found -> verify(password, found == null ? dummyHash : found.passwordHash())
            .compose(ok -> {
              if (found == null || !ok || !found.active()) {
                LOG.info("login failed");
                return throttle.recordFailure(email, address)
                    .compose(x -> Future.failedFuture(new ApiError(401, "invalid_credentials", "Email address or password is wrong")));
              }
              return throttle.clear(email).compose(x -> startSession(found.user()));
            }));
  }

  public Future<LoggedIn> startSession(CurrentUser user) {
    String token = Tokens.newToken();
    return sessions.create(store.pool(), token, user.id(), config.sessionMax()).map(v -> {
      LOG.info("session started user={}", user.id());
      return new LoggedIn(user, token);
    });
  }

  public Future<Void> logout(String token) {
    if (token == null) {
      return Future.succeededFuture();
    }
    return sessions.delete(token).onSuccess(v -> vertx.eventBus().publish(ACCESS_ENDED,
        new io.vertx.core.json.JsonObject().put("session", java.util.HexFormat.of().formatHex(Tokens.digest(token)))));
  }

  public Future<Void> changePassword(CurrentUser user, String currentToken, String current, String next) {
    policy.check(next, "newPassword");
    return store.credentialsById(user.id())
        .compose(c -> verify(current, c.passwordHash()))
        .compose(ok -> ok
            ? hash(next)
            : Future.failedFuture(new ApiError(401, "invalid_credentials", "The current password is wrong", "currentPassword")))
        .compose(h -> store.pool().withTransaction(tx -> store.setPassword(tx, user.id(), h)
            .compose(v -> sessions.deleteAllOf(tx, user.id(), currentToken))))
        .map(v -> {
          JsonObject ended = new JsonObject().put("userId", user.id());
          if (currentToken != null) {
            ended.put("exceptSession", HexFormat.of().formatHex(Tokens.digest(currentToken)));
          }
          vertx.eventBus().publish(ACCESS_ENDED, ended);
          LOG.info("password changed user={}", user.id());
          return v;
        });
  }

  /** At start: create the configured admin, or print a one-time set-up link while none exists. */
  public Future<Void> bootstrap() {
    return store.adminExists(store.pool()).compose(exists -> {
      if (exists) {
        return store.deleteSetupToken();
      }
      if (config.adminEmail() != null && config.adminPassword() != null) {
        return hash(config.adminPassword())
            .compose(h -> store.insert(store.pool(), config.adminEmail().toLowerCase(), h, "Administration", true))
            .onSuccess(id -> LOG.info("admin account created from environment user={}", id))
            .mapEmpty();
      }
      String token = Tokens.newToken();
      return store.replaceSetupToken(Tokens.digest(token)).onSuccess(v ->
          // The link is the one secret we print on purpose: it is how the first admin gets in.
          LOG.warn("No admin account yet. Open this one-time set-up link: {}/#/setup/{}", config.publicUrl(), token));
    });
  }

  public Future<LoggedIn> setup(String token, String email, String displayName, String password) {
    policy.check(password, "password");
    return hash(password).compose(h -> store.pool().withTransaction(tx -> store.adminExists(tx).compose(exists -> {
      if (exists) {
        return Future.failedFuture(new ApiError(409, "setup_done", "The platform is set up already"));
      }
      return store.consumeSetupToken(tx, Tokens.digest(token)).compose(ok -> ok
          ? store.insert(tx, email, h, displayName, true)
          : Future.<Long>failedFuture(new ApiError(403, "setup_token_invalid", "This set-up link is not valid")));
    }))).compose(id -> {
      LOG.info("admin account created by set-up user={}", id);
      return startSession(new CurrentUser(id, email, displayName, true));
    });
  }

  public Future<AccountStore.AccountSummary> setActive(CurrentUser admin, long userId, boolean active) {
    admin.requireAdmin();
    if (admin.id() == userId && !active) {
      return Future.failedFuture(new ApiError(403, "forbidden", "You cannot deactivate your own account"));
    }
    return store.pool().withTransaction(tx -> store.setActive(tx, userId, active).compose(n -> {
      if (n == 0) {
        return Future.failedFuture(ApiError.notFound("Account"));
      }
      return active ? Future.succeededFuture() : sessions.deleteAllOf(tx, userId, null);
    })).compose(v -> {
      if (!active) {
        vertx.eventBus().publish(ACCESS_ENDED, new io.vertx.core.json.JsonObject().put("userId", userId));
      }
      LOG.info("account {} user={} by={}", active ? "activated" : "deactivated", userId, admin.id());
      return store.summary(userId);
    });
  }
}
