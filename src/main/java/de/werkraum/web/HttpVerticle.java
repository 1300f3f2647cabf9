package de.werkraum.web;

import de.werkraum.Config;
import de.werkraum.account.SessionGuard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import de.werkraum.web.socket.WebSocketGateway;
import java.util.List;
import java.util.function.Supplier;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;

/** The HTTP server: health, the JSON API with its guards, and the static browser UI. */
public final class HttpVerticle extends VerticleBase {

  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final Config config;
  private final Pool pool;
  private final SessionGuard sessionGuard;
  private final List<ApiRoutes> features;
  private final Supplier<WebSocketGateway> gateways;
  private HttpServer server;
  private WebSocketGateway gateway;

  public HttpVerticle(Config config, Pool pool, SessionGuard sessionGuard, List<ApiRoutes> features,
      Supplier<WebSocketGateway> gateways) {
    this.config = config;
    this.pool = pool;
    this.sessionGuard = sessionGuard;
    this.features = features;
    this.gateways = gateways;
  }

  @Override
  public Future<?> start() {
    FailureHandler failures = new FailureHandler();
    Router router = Router.router(vertx);
    router.route().handler(HttpVerticle::securityHeaders);
    router.get("/health").handler(this::health);

    Router api = Router.router(vertx);
    api.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    api.route().handler(new CsrfGuard(config.publicOrigin()));
    features.forEach(f -> f.mountPublic(api));
    api.route().handler(sessionGuard);
    features.forEach(f -> f.mount(api));
    api.route().failureHandler(failures);
    router.route("/api/*").subRouter(api);

    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
    router.route().failureHandler(failures);
    router.errorHandler(404, ctx -> failures.handle(ctx));
    router.errorHandler(405, ctx -> failures.handle(ctx));
    router.errorHandler(413, ctx -> failures.handle(ctx));

    server = vertx.createHttpServer(new HttpServerOptions()
        .setMaxWebSocketFrameSize(WebSocketGateway.TRANSPORT_MAX_BYTES)
        .setMaxWebSocketMessageSize(WebSocketGateway.TRANSPORT_MAX_BYTES)
        // No WebSocket extension: without permessage-deflate every reserved bit is a protocol error (1002)
        // that Netty's frame decoder itself refuses.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false));
    gateway = gateways.get();
    gateway.attach(server);
    return server.requestHandler(router).listen(config.port());
  }

  @Override
  public Future<?> stop() {
    gateway.stop();
    return server.close();
  }

  private void health(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .onSuccess(rows -> Respond.json(ctx, 200, new io.vertx.core.json.JsonObject().put("status", "UP")))
        .onFailure(e -> Respond.json(ctx, 503, new io.vertx.core.json.JsonObject().put("status", "DOWN")));
  }

  /** Pages may load nothing from other hosts, and may not be framed. */
  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("X-Frame-Options", "DENY");
    ctx.next();
  }
}
