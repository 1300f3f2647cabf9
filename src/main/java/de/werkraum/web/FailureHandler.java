package de.werkraum.web;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become {@code {"error":{"code","message"}}} answers; never leaks a stack trace. */
public final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    ApiError error = toApiError(ctx);
    if (error.status() >= 500) {
      LOG.error("request failed method={} path={}", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    JsonObject body = new JsonObject().put("code", error.code()).put("message", error.getMessage());
    if (error.field() != null) {
      body.put("field", error.field());
    }
    if (error.details() != null) {
      body.put("details", error.details());
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", body).encode());
  }

  private static ApiError toApiError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError e) {
      return e;
    }
    if (failure instanceof DecodeException) {
      return new ApiError(400, "malformed_json", "The body is not valid JSON");
    }
    int status = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 400 -> new ApiError(400, "bad_request", "Bad request");
      case 401 -> ApiError.unauthenticated();
      case 403 -> ApiError.forbidden();
      case 404 -> ApiError.notFound("Resource");
      case 405 -> new ApiError(405, "method_not_allowed", "Method not allowed here");
      case 413 -> new ApiError(413, "payload_too_large", "The body is larger than 64 KiB");
      case 415 -> new ApiError(415, "unsupported_media_type", "Send the body as application/json");
      default -> new ApiError(500, "internal", "Something went wrong on the server");
    };
  }
}
