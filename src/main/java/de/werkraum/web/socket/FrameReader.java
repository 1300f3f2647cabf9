package de.werkraum.web.socket;

import de.werkraum.web.ApiError;
import de.werkraum.web.Field;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of one client text message into a {@link Request}: strict UTF-8 first (a message that
 * is not UTF-8 is a protocol error, answered with close code 1007, never repaired into U+FFFD), then the
 * envelope every request shares (a JSON object with an {@code id} and a {@code type}). No state, no I/O.
 */
public final class FrameReader {

  /** A request, or the error to answer (with the request's id when it could be read). */
  public record Read(Request request, Object errorId, ApiError error) {

    static Read ok(Request request) {
      return new Read(request, null, null);
    }

    static Read refused(Object id, ApiError error) {
      return new Read(null, id, error);
    }
  }

  private FrameReader() {}

  /** The text of a message's bytes, or null if they are not well-formed UTF-8 (RFC 3629). */
  public static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Reads the envelope of one text message. */
  public static Read request(String text) {
    JsonObject json;
    try {
      Object parsed = Json.decodeValue(text);
      if (!(parsed instanceof JsonObject obj)) {
        return Read.refused(null, new ApiError(400, "malformed_json", "A request is a JSON object"));
      }
      json = obj;
    } catch (DecodeException e) {
      return Read.refused(null, new ApiError(400, "malformed_json", "The frame is not valid JSON"));
    }
    Object id = json.getValue("id");
    if (id == null) {
      return Read.refused(null, ApiError.missing("id"));
    }
    if (!(id instanceof String) && !(id instanceof Number)) {
      return Read.refused(null, ApiError.invalid("id", "must be a string or a number"));
    }
    if (id instanceof String s && !Field.storable(s)) {
      return Read.refused(null, Field.invalidText("id"));
    }
    Object type = json.getValue("type");
    if (!(type instanceof String t)) {
      return Read.refused(id, type == null ? ApiError.missing("type") : ApiError.invalid("type", "must be a string"));
    }
    if (!Field.storable(t)) {
      return Read.refused(id, Field.invalidText("type"));
    }
    return Read.ok(new Request(id, t, json));
  }
}
