package de.werkraum.network;

import de.werkraum.account.CurrentUser;
import de.werkraum.account.Roles;
import de.werkraum.web.ApiError;
import de.werkraum.web.socket.AccessChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules of the actor network: who may change which profile, organisation, space and membership. */
public final class NetworkService {

  private static final Logger LOG = LoggerFactory.getLogger(NetworkService.class);

  private final Vertx vertx;
  private final Pool pool;
  private final Roles roles;
  final MemberStore members;
  final OrganisationStore organisations;
  final SpaceStore spaces;

  public NetworkService(Vertx vertx, Pool pool, Roles roles) {
    this.vertx = vertx;
    this.pool = pool;
    this.roles = roles;
    this.members = new MemberStore(pool);
    this.organisations = new OrganisationStore(pool);
    this.spaces = new SpaceStore(pool);
  }

  public Future<MemberStore.Member> me(CurrentUser user) {
    return members.byId(user.id(), true);
  }

  public Future<MemberStore.Member> member(CurrentUser user, long id) {
    return members.byId(id, user.admin()).map(m -> m == null || user.admin() || user.id() == id ? m : m.withoutEmail());
  }

  /** Members edit their own profile; admins anyone's. */
  public Future<MemberStore.Member> updateProfile(CurrentUser user, long id, MemberStore.ProfileDraft draft, int version) {
    if (user.id() != id && !user.admin()) {
      return Future.failedFuture(ApiError.forbidden());
    }
    return members.update(id, draft, version)
        .compose(v -> members.byId(id, true))
        .onSuccess(m -> LOG.info("profile updated member={} by={}", id, user.id()));
  }

  public Future<OrganisationStore.OrganisationDetail> createOrganisation(CurrentUser user, OrganisationStore.OrganisationDraft draft) {
    return roles.requireAnyCoordinator(user)
        .compose(v -> organisations.insert(pool, draft))
        .compose(organisations::detail)
        .onSuccess(o -> LOG.info("organisation created id={} by={}", o.id(), user.id()));
  }

  public Future<OrganisationStore.OrganisationDetail> updateOrganisation(CurrentUser user, long id,
      OrganisationStore.OrganisationDraft draft, int version) {
    return roles.requireAnyCoordinator(user)
        .compose(v -> organisations.update(id, draft, version))
        .compose(v -> organisations.detail(id))
        .onSuccess(o -> LOG.info("organisation updated id={} by={}", id, user.id()));
  }

  public Future<SpaceStore.SpaceDetail> createSpace(CurrentUser user, String name, String description) {
    user.requireAdmin();
    return spaces.insert(pool, name, description)
        .compose(id -> spaces.detail(id, user.id()))
        .onSuccess(s -> LOG.info("space created id={} by={}", s.id(), user.id()));
  }

  public Future<SpaceStore.SpaceDetail> space(CurrentUser user, long id) {
    return spaces.detail(id, user.id());
  }

  public Future<SpaceStore.SpaceDetail> updateSpace(CurrentUser user, long id, String name, String description, int version) {
    return existingSpace(id)
        .compose(v -> roles.requireCoordinator(user, id))
        .compose(v -> spaces.update(id, name, description, version))
        .compose(v -> spaces.detail(id, user.id()))
        .onSuccess(s -> LOG.info("space updated id={} by={}", id, user.id()));
  }

  /** Admins set any role; coordinators add members and may not touch coordinators. */
  public Future<Void> setMembership(CurrentUser user, long spaceId, long userId, String role) {
    return existingSpace(spaceId)
        .compose(v -> roles.requireCoordinator(user, spaceId))
        .compose(v -> user.admin() ? Future.succeededFuture() : roles.roleIn(userId, spaceId).compose(current ->
            Roles.MEMBER.equals(role) && !Roles.COORDINATOR.equals(current)
                ? Future.succeededFuture() : Future.failedFuture(ApiError.forbidden())))
        .compose(v -> spaces.setRole(pool, spaceId, userId, role))
        // A coordinator who becomes a member may lose restricted rooms and the moderators' notices.
        .map(v -> accessChanged(spaceId, userId, "role_changed"))
        .onSuccess(v -> LOG.info("membership set space={} member={} role={} by={}", spaceId, userId, role, user.id()));
  }

  public Future<Void> removeMembership(CurrentUser user, long spaceId, long userId) {
    return existingSpace(spaceId)
        .compose(v -> roles.requireCoordinator(user, spaceId))
        .compose(v -> roles.roleIn(userId, spaceId))
        .compose(current -> {
          if (current == null) {
            return Future.failedFuture(ApiError.notFound("Membership"));
          }
          if (!user.admin() && Roles.COORDINATOR.equals(current)) {
            return Future.failedFuture(ApiError.forbidden());
          }
          return spaces.remove(spaceId, userId).<Void>mapEmpty();
        })
        .map(v -> accessChanged(spaceId, userId, "space_membership_ended"))
        .onSuccess(v -> LOG.info("membership removed space={} member={} by={}", spaceId, userId, user.id()));
  }

  /** After the commit, before the answer: open sockets of the member re-check their rooms and profiles of the space. */
  private Void accessChanged(long spaceId, long userId, String reason) {
    AccessChange.inSpace(spaceId, "u" + userId, reason).publish(vertx);
    return null;
  }

  private Future<Void> existingSpace(long id) {
    return spaces.exists(id).compose(found -> found ? Future.succeededFuture() : Future.failedFuture(ApiError.notFound("Space")));
  }
}
