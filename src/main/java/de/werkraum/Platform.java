package de.werkraum;

import de.werkraum.account.AccountRoutes;
import de.werkraum.account.AccountService;
import de.werkraum.account.InvitationService;
import de.werkraum.account.LoginThrottle;
import de.werkraum.account.PasswordPolicy;
import de.werkraum.account.Roles;
import de.werkraum.account.SessionGuard;
import de.werkraum.db.Database;
import de.werkraum.db.EmbeddedDatabase;
import de.werkraum.db.Migrations;
import de.werkraum.network.DemoData;
import de.werkraum.network.NetworkRoutes;
import de.werkraum.network.NetworkService;
import de.werkraum.profile.ProfileEditing;
import de.werkraum.profile.ProfileEngines;
import de.werkraum.profile.ProfileRoutes;
import de.werkraum.profile.ProfileService;
import de.werkraum.profile.ProfileSocketHandler;
import de.werkraum.room.GuestStore;
import de.werkraum.room.ModerationRoutes;
import de.werkraum.room.ModerationService;
import de.werkraum.room.ModerationSocketHandler;
import de.werkraum.room.PollService;
import de.werkraum.room.RoomRoutes;
import de.werkraum.room.RoomService;
import de.werkraum.room.SpaceRoomService;
import de.werkraum.web.ApiRoutes;
import de.werkraum.web.HttpVerticle;
import java.util.List;
import de.werkraum.room.RoomSocketHandler;
import de.werkraum.web.WriteLimits;
import de.werkraum.web.socket.ConnectionCounter;
import de.werkraum.web.socket.WebSocketGateway;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import java.util.function.Supplier;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Werkraum node: its database (embedded or configured), schema, services and HTTP server. */
public final class Platform {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
  private static final long PURGE_EVERY_MS = 10 * 60 * 1000;
  /** One HTTP/WebSocket verticle per core: each owns its sockets and its per-room consumers. */
  static final int HTTP_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());

  private final Vertx vertx;
  private final EmbeddedDatabase embedded;
  private final Pool pool;
  private final int port;
  private final List<String> deployments;

  private Platform(Vertx vertx, EmbeddedDatabase embedded, Pool pool, int port, List<String> deployments) {
    this.vertx = vertx;
    this.embedded = embedded;
    this.pool = pool;
    this.port = port;
    this.deployments = deployments;
  }

  /** Database first (blocking parts on a worker), then schema, services, and the HTTP server. */
  public static Future<Platform> start(Vertx vertx, Config config) {
    long started = System.nanoTime();
    return vertx.executeBlocking(() -> {
      EmbeddedDatabase embedded = config.dbUrl() == null ? EmbeddedDatabase.start(config.dataDir()) : null;
      try {
        Database db = Database.fromUrl(embedded == null ? config.dbUrl() : embedded.url());
        Migrations.migrate(db);
        return new Object[] {embedded, db, PasswordPolicy.load()};
      } catch (RuntimeException e) {
        if (embedded != null) {
          embedded.close();
        }
        throw e;
      }
    }).compose(parts -> {
      EmbeddedDatabase embedded = (EmbeddedDatabase) parts[0];
      Database db = (Database) parts[1];
      Pool pool = db.pool(vertx, 16);
      return wire(vertx, config, pool, (PasswordPolicy) parts[2]).compose(wiring ->
          vertx.deployVerticle(wiring.http(), new DeploymentOptions().setInstances(HTTP_INSTANCES))
              .map(id -> new Platform(vertx, embedded, pool, config.port(), List.of(id, wiring.enginesDeployment()))))
          .onSuccess(p -> {
            if (embedded != null) {
              embedded.restartWhenGone(vertx);
            }
          })
          .recover(e -> {
            pool.close();
            return closeEmbedded(vertx, embedded).transform(x -> Future.failedFuture(e));
          });
    }).onSuccess(p -> LOG.info("Werkraum ready at {} (port {}) in {} ms", config.publicUrl(), p.port(),
        (System.nanoTime() - started) / 1_000_000));
  }

  /** The HTTP verticles to deploy, and the node's profile engines already deployed. */
  private record Wiring(Supplier<HttpVerticle> http, String enginesDeployment) {}

  private static Future<Wiring> wire(Vertx vertx, Config config, Pool pool, PasswordPolicy policy) {
    return vertx.executeBlocking(() -> new AccountService(vertx, config, pool, policy)).compose(accounts -> {
      Roles roles = new Roles(pool);
      SessionGuard guard = new SessionGuard(accounts.sessions(), config);
      InvitationService invitations = new InvitationService(config, pool, accounts, roles);
      NetworkService network = new NetworkService(vertx, pool, roles);
      LoginThrottle throttle = new LoginThrottle(pool);
      vertx.setPeriodic(PURGE_EVERY_MS, t -> {
        accounts.sessions().purgeExpired(config.sessionIdle());
        throttle.purgeOld();
      });
      Future<Void> demo = config.demo() ? new DemoData(pool, accounts).fillIfEmpty() : Future.succeededFuture();
      AccountRoutes accountRoutes = new AccountRoutes(accounts, invitations, guard);
      NetworkRoutes networkRoutes = new NetworkRoutes(network);
      RoomService rooms = new RoomService(vertx, pool);
      ModerationService moderation = new ModerationService(vertx, pool, roles);
      GuestStore guests = new GuestStore(pool);
      ConnectionCounter counter = new ConnectionCounter();
      WriteLimits limits = WriteLimits.fromSetting(config.writeLimits());
      ProfileEngines profileEngines = new ProfileEngines(pool);
      ProfileEditing profileEditing = new ProfileEditing();
      Supplier<WebSocketGateway> gateways = () -> new WebSocketGateway(vertx, config, accounts.sessions(), guests::admission, counter)
          .register(new RoomSocketHandler(vertx, rooms, limits, moderation))
          .register(new ModerationSocketHandler(moderation, new PollService(moderation), limits))
          .register(new ProfileSocketHandler(vertx, pool, profileEngines, profileEditing, limits));
      RoomRoutes roomRoutes = new RoomRoutes(new SpaceRoomService(vertx, config, pool, roles, moderation), config.secureCookies());
      List<ApiRoutes> features = List.of(accountRoutes, networkRoutes, roomRoutes,
          new ProfileRoutes(new ProfileService(vertx, pool, profileEngines, roles, profileEditing)), new ModerationRoutes(moderation));
      return accounts.bootstrap().compose(v -> demo).compose(v -> vertx.deployVerticle(profileEngines))
          .map(enginesId -> new Wiring(() -> new HttpVerticle(config, pool, guard, features, gateways), enginesId));
    });
  }

  public int port() {
    return port;
  }

  public Pool pool() {
    return pool;
  }

  /** Stops serving, closes the pool, then stops the embedded database cleanly. */
  public Future<Void> stop() {
    return vertx.undeploy(deployments.get(0))
        .transform(x -> vertx.undeploy(deployments.get(1)))
        .transform(x -> pool.close())
        .transform(x -> closeEmbedded(vertx, embedded));
  }

  private static Future<Void> closeEmbedded(Vertx vertx, EmbeddedDatabase embedded) {
    if (embedded == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      embedded.close();
      return null;
    });
  }
}
