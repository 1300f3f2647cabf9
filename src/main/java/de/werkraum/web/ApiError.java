package de.werkraum.web;

/** A refusal with a stable code, turned into {@code {"error":{...}}} by the failure handler. */
public final class ApiError extends RuntimeException {

  private final int status;
  private final String code;
  private final String field;
  private io.vertx.core.json.JsonObject details;

  public ApiError(int status, String code, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  public ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  /** Facts a client needs to explain the refusal (e.g. until when a mute lasts), or null. */
  public io.vertx.core.json.JsonObject details() {
    return details;
  }

  public ApiError withDetails(io.vertx.core.json.JsonObject details) {
    this.details = details;
    return this;
  }

  public static ApiError notFound(String what) {
    return new ApiError(404, "not_found", what + " not found");
  }

  public static ApiError forbidden() {
    return new ApiError(403, "forbidden", "You do not have the right to do this");
  }

  public static ApiError unauthenticated() {
    return new ApiError(401, "unauthenticated", "Please log in");
  }

  public static ApiError staleVersion() {
    return new ApiError(409, "stale_version", "Someone else changed this in the meantime; reload and try again");
  }

  public static ApiError missing(String field) {
    return new ApiError(400, "missing_field", "Field '" + field + "' is required", field);
  }

  public static ApiError invalid(String field, String why) {
    return new ApiError(400, "invalid_field", "Field '" + field + "' " + why, field);
  }

  public static ApiError tooLong(String field, int max) {
    return new ApiError(400, "field_too_long", "Field '" + field + "' is longer than " + max + " characters", field);
  }
}
