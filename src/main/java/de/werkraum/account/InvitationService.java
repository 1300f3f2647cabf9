package de.werkraum.account;

import de.werkraum.Config;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules of invitations: who may invite whom into what, and single-use, expiring acceptance. */
public final class InvitationService {

  private static final Logger LOG = LoggerFactory.getLogger(InvitationService.class);
  public static final Duration VALID_FOR = Duration.ofDays(7);

  /** A new invitation with its link, shown to the inviter only once. */
  public record Created(InvitationStore.Invitation invitation, String link) {}

  private final Config config;
  private final Pool pool;
  private final InvitationStore store;
  private final AccountService accounts;
  private final Roles roles;

  public InvitationService(Config config, Pool pool, AccountService accounts, Roles roles) {
    this.config = config;
    this.pool = pool;
    this.store = new InvitationStore(pool);
    this.accounts = accounts;
    this.roles = roles;
  }

  public Future<Created> invite(CurrentUser inviter, String email, Long spaceId, String spaceRole, boolean admin) {
    String role = spaceId == null ? null : (spaceRole == null ? Roles.MEMBER : spaceRole);
    if (spaceId == null && spaceRole != null) {
      return Future.failedFuture(ApiError.invalid("spaceRole", "needs a spaceId"));
    }
    Future<Void> allowed;
    if (inviter.admin()) {
      allowed = Future.succeededFuture();
    } else if (spaceId == null || admin || !Roles.MEMBER.equals(role)) {
      allowed = Future.failedFuture(ApiError.forbidden());
    } else {
      allowed = roles.requireCoordinator(inviter, spaceId);
    }
    String token = Tokens.newToken();
    return allowed
        .compose(v -> spaceId == null ? Future.succeededFuture(true) : store.spaceExists(spaceId))
        .compose(exists -> exists ? accounts.store().emailTaken(email) : Future.failedFuture(ApiError.notFound("Space")))
        .compose(taken -> taken
            ? Future.failedFuture(new ApiError(409, "email_taken", "An account with this email address exists already", "email"))
            : store.insert(token, email, admin, spaceId, role, inviter.id(), OffsetDateTime.now(ZoneOffset.UTC).plus(VALID_FOR)))
        .compose(store::byId)
        .map(inv -> {
          LOG.info("invitation created id={} by={}", inv.id(), inviter.id());
          return new Created(inv, config.publicUrl() + "/#/invite/" + token);
        });
  }

  public Future<List<InvitationStore.Invitation>> list(CurrentUser user, Long spaceId, int limit, int offset) {
    return store.list(user.admin(), user.id(), spaceId, limit, offset);
  }

  public Future<Long> count(CurrentUser user, Long spaceId) {
    return store.count(user.admin(), user.id(), spaceId);
  }

  public Future<Void> revoke(CurrentUser user, long id) {
    return store.byId(id).compose(inv -> {
      if (inv == null) {
        return Future.failedFuture(ApiError.notFound("Invitation"));
      }
      Future<Void> allowed = user.admin() || inv.space() == null
          ? (user.admin() ? Future.succeededFuture() : Future.failedFuture(ApiError.forbidden()))
          : roles.requireCoordinator(user, inv.space().id());
      return allowed.compose(v -> store.revoke(id)).onSuccess(v -> LOG.info("invitation revoked id={} by={}", id, user.id()));
    });
  }

  /** What the accept page shows; fails with the reason an invitation cannot be used. */
  public Future<InvitationStore.Pending> lookup(String token) {
    return store.byToken(pool, token, false).compose(InvitationService::usable);
  }

  public Future<AccountService.LoggedIn> accept(String token, String displayName, String password) {
    accounts.policy().check(password, "password");
    return lookup(token)
        .compose(p -> accounts.hash(password))
        .compose(hash -> pool.withTransaction(tx -> store.byToken(tx, token, true)
            .compose(InvitationService::usable)
            .compose(inv -> accounts.store().insert(tx, inv.email(), hash, displayName, inv.admin())
                .compose(userId -> store.markUsed(tx, inv.id(), userId)
                    .compose(v -> inv.space() == null ? Future.succeededFuture()
                        : accounts.store().joinSpace(tx, inv.space().id(), userId, inv.spaceRole()))
                    .map(v -> new CurrentUser(userId, inv.email(), displayName, inv.admin()))))))
        .compose(user -> {
          LOG.info("invitation accepted user={}", user.id());
          return accounts.startSession(user);
        });
  }

  private static Future<InvitationStore.Pending> usable(InvitationStore.Pending inv) {
    if (inv == null || inv.revoked()) {
      return Future.failedFuture(new ApiError(404, "invitation_invalid", "This invitation link is not valid"));
    }
    if (inv.used()) {
      return Future.failedFuture(new ApiError(410, "invitation_used", "This invitation has been used already"));
    }
    if (inv.expiresAt().isBefore(OffsetDateTime.now())) {
      return Future.failedFuture(new ApiError(410, "invitation_expired", "This invitation has expired"));
    }
    return Future.succeededFuture(inv);
  }
}
