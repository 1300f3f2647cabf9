package de.werkraum.network;

import de.werkraum.account.CurrentUser;
import de.werkraum.account.Roles;
import de.werkraum.web.Input;
import de.werkraum.web.Query;
import de.werkraum.web.Respond;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;

/** HTTP routes of the actor network: my profile, members, organisations, spaces and the directory. */
public final class NetworkRoutes implements de.werkraum.web.ApiRoutes {

  public static final Set<String> SECTORS = Set.of("politics_administration", "business", "science", "association", "foundation");

  private final NetworkService network;

  public NetworkRoutes(NetworkService network) {
    this.network = network;
  }

  @Override
  public void mount(Router api) {
    api.get("/me").handler(this::me);
    api.put("/me").handler(this::updateMe);
    api.get("/members").handler(this::searchMembers);
    api.get("/members/:id").handler(this::member);
    api.put("/members/:id").handler(this::updateMember);
    api.get("/organisations").handler(this::searchOrganisations);
    api.post("/organisations").handler(this::createOrganisation);
    api.get("/organisations/:id").handler(this::organisation);
    api.put("/organisations/:id").handler(this::updateOrganisation);
    api.get("/spaces").handler(this::spaces);
    api.post("/spaces").handler(this::createSpace);
    api.get("/spaces/:id").handler(this::space);
    api.put("/spaces/:id").handler(this::updateSpace);
    api.get("/spaces/:id/members").handler(this::spaceMembers);
    api.put("/spaces/:id/members/:userId").handler(this::setMembership);
    api.delete("/spaces/:id/members/:userId").handler(this::removeMembership);
  }

  private void me(RoutingContext ctx) {
    Respond.with(ctx, 200, network.me(CurrentUser.of(ctx)));
  }

  private void updateMe(RoutingContext ctx) {
    CurrentUser user = CurrentUser.of(ctx);
    updateProfile(ctx, user, user.id());
  }

  private void updateMember(RoutingContext ctx) {
    CurrentUser user = CurrentUser.of(ctx);
    user.requireAdmin();
    updateProfile(ctx, user, Query.pathId(ctx, "id"));
  }

  private void updateProfile(RoutingContext ctx, CurrentUser user, long id) {
    Input in = Input.of(ctx);
    var draft = new MemberStore.ProfileDraft(in.text("displayName", 100), in.optionalId("organisationId"),
        in.textOrEmpty("position", 200), in.textOrEmpty("bio", 2000));
    Respond.with(ctx, 200, network.updateProfile(user, id, draft, in.version()));
  }

  private void searchMembers(RoutingContext ctx) {
    CurrentUser.of(ctx);
    Query q = Query.of(ctx);
    String sector = sectorParam(ctx);
    Long space = Query.optionalId(ctx, "space");
    Respond.page(ctx, q, network.members.search(q.q(), sector, space, q.size(), q.offset()),
        network.members.count(q.q(), sector, space));
  }

  private void member(RoutingContext ctx) {
    Respond.with(ctx, 200, network.member(CurrentUser.of(ctx), Query.pathId(ctx, "id")));
  }

  private void searchOrganisations(RoutingContext ctx) {
    CurrentUser.of(ctx);
    Query q = Query.of(ctx);
    String sector = sectorParam(ctx);
    Respond.page(ctx, q, network.organisations.search(q.q(), sector, q.size(), q.offset()),
        network.organisations.count(q.q(), sector));
  }

  private void organisation(RoutingContext ctx) {
    CurrentUser.of(ctx);
    Respond.with(ctx, 200, network.organisations.detail(Query.pathId(ctx, "id")));
  }

  private void createOrganisation(RoutingContext ctx) {
    Respond.with(ctx, 201, network.createOrganisation(CurrentUser.of(ctx), organisationDraft(Input.of(ctx))));
  }

  private void updateOrganisation(RoutingContext ctx) {
    Input in = Input.of(ctx);
    Respond.with(ctx, 200, network.updateOrganisation(CurrentUser.of(ctx), Query.pathId(ctx, "id"),
        organisationDraft(in), in.version()));
  }

  private static OrganisationStore.OrganisationDraft organisationDraft(Input in) {
    return new OrganisationStore.OrganisationDraft(in.text("name", 200), in.oneOf("sector", SECTORS),
        in.textOrEmpty("city", 100), in.website("website"), in.textOrEmpty("description", 4000));
  }

  private void spaces(RoutingContext ctx) {
    Respond.with(ctx, 200, network.spaces.list(CurrentUser.of(ctx).id()).map(list -> Map.of("items", list)));
  }

  private void createSpace(RoutingContext ctx) {
    Input in = Input.of(ctx);
    Respond.with(ctx, 201, network.createSpace(CurrentUser.of(ctx), in.text("name", 120), in.textOrEmpty("description", 4000)));
  }

  private void space(RoutingContext ctx) {
    Respond.with(ctx, 200, network.space(CurrentUser.of(ctx), Query.pathId(ctx, "id")));
  }

  private void updateSpace(RoutingContext ctx) {
    Input in = Input.of(ctx);
    Respond.with(ctx, 200, network.updateSpace(CurrentUser.of(ctx), Query.pathId(ctx, "id"),
        in.text("name", 120), in.textOrEmpty("description", 4000), in.version()));
  }

  private void spaceMembers(RoutingContext ctx) {
    CurrentUser.of(ctx);
    long id = Query.pathId(ctx, "id");
    Query q = Query.of(ctx);
    Respond.with(ctx, 200, network.spaces.exists(id).compose(found -> !found
        ? io.vertx.core.Future.succeededFuture(null)
        : network.spaces.members(id, q.size(), q.offset()).compose(items -> network.spaces.memberCount(id)
            .map(total -> new Respond.Page<>(items, q.page(), q.size(), total)))));
  }

  private void setMembership(RoutingContext ctx) {
    Input in = Input.of(ctx);
    String role = in.oneOf("role", Set.of(Roles.MEMBER, Roles.COORDINATOR));
    long spaceId = Query.pathId(ctx, "id");
    long userId = Query.pathId(ctx, "userId");
    Respond.with(ctx, 200, network.setMembership(CurrentUser.of(ctx), spaceId, userId, role)
        .map(v -> new JsonObject().put("userId", userId).put("role", role)));
  }

  private void removeMembership(RoutingContext ctx) {
    Respond.noContent(ctx, network.removeMembership(CurrentUser.of(ctx), Query.pathId(ctx, "id"), Query.pathId(ctx, "userId")));
  }

  private static String sectorParam(RoutingContext ctx) {
    String sector = Query.param(ctx, "sector");
    if (sector == null || sector.isBlank()) {
      return null;
    }
    if (!SECTORS.contains(sector)) {
      throw new de.werkraum.web.ApiError(400, "invalid_query", "Unknown sector", "sector");
    }
    return sector;
  }
}
