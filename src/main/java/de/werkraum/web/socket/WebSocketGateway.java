package de.werkraum.web.socket;

import de.werkraum.Config;
import de.werkraum.account.LoginSessionStore;
import de.werkraum.account.Participant;
import de.werkraum.account.SessionGuard;
import de.werkraum.account.Tokens;
import de.werkraum.web.ApiError;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws} endpoint of one HTTP verticle instance: authenticates the handshake (session or guest
 * cookie, exact Origin) before upgrading, parses frames, enforces the connection limits and heartbeats,
 * and dispatches each request by type to the feature that answers it.
 */
public final class WebSocketGateway {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketGateway.class);

  public static final String PATH = "/ws";
  public static final String GUEST_COOKIE = "werkraum_guest";
  public static final int MAX_FRAME_BYTES = 64 * 1024;
  /** What the transport accepts at all; between this and MAX_FRAME_BYTES we close with 1009 ourselves. */
  public static final int TRANSPORT_MAX_BYTES = 1024 * 1024;
  public static final int MAX_CONNECTIONS_PER_PARTICIPANT = 10;
  public static final int WRITE_QUEUE_BYTES = 512 * 1024;
  /**
   * Event-bus address for a frame to one participant's sockets on every instance and node, joined to a
   * room or not: {@code {"key":"g7","frame":{…}}} (a guest in the lobby learns so that it was let in).
   */
  public static final String TO_PARTICIPANT = "werkraum.socket.to-participant";

  /** Finds the guest behind a guest token, or null. */
  public interface GuestLookup extends Function<String, Future<Participant>> {}

  private final Vertx vertx;
  private final Config config;
  private final LoginSessionStore sessions;
  private final GuestLookup guests;
  private final ConnectionCounter counter;
  private final Map<String, SocketHandler> handlers = new HashMap<>();
  private final List<SocketHandler> allHandlers = new ArrayList<>();
  private final Set<Connection> connections = new LinkedHashSet<>();
  private MessageConsumer<JsonObject> accountClosed;
  private MessageConsumer<JsonObject> toParticipant;
  private long heartbeatTimer = -1;
  private long heartbeatTick;

  public WebSocketGateway(Vertx vertx, Config config, LoginSessionStore sessions, GuestLookup guests, ConnectionCounter counter) {
    this.vertx = vertx;
    this.config = config;
    this.sessions = sessions;
    this.guests = guests;
    this.counter = counter;
  }

  public WebSocketGateway register(SocketHandler handler) {
    for (String type : handler.types()) {
      handlers.put(type, handler);
    }
    allHandlers.add(handler);
    return this;
  }

  public void attach(HttpServer server) {
    server.webSocketHandshakeHandler(this::handshake);
    server.webSocketHandler(ws -> { });
    accountClosed = vertx.eventBus().consumer(de.werkraum.account.AccountService.ACCESS_ENDED, msg -> closeMatching(msg.body()));
    toParticipant = vertx.eventBus().<JsonObject>consumer(TO_PARTICIPANT, msg -> sendToParticipant(msg.body()));
    heartbeatTimer = vertx.setPeriodic(1000, t -> heartbeat());
  }

  public void stop() {
    vertx.cancelTimer(heartbeatTimer);
    if (accountClosed != null) {
      accountClosed.unregister();
    }
    if (toParticipant != null) {
      toParticipant.unregister();
    }
    for (Connection c : List.copyOf(connections)) {
      c.close(CloseCodes.GOING_AWAY, "server_stopping");
    }
  }

  private void handshake(ServerWebSocketHandshake hs) {
    if (!PATH.equals(hs.path())) {
      hs.reject(404);
      return;
    }
    if (!config.publicOrigin().equals(hs.headers().get("Origin"))) {
      hs.reject(403);
      return;
    }
    Map<String, String> cookies = cookies(hs.headers().get("Cookie"));
    String sessionToken = cookies.get(SessionGuard.COOKIE);
    String guestToken = cookies.get(GUEST_COOKIE);
    Future<Participant> who;
    String loginDigest = null;
    if (sessionToken != null) {
      loginDigest = HexFormat.of().formatHex(Tokens.digest(sessionToken));
      who = sessions.validUser(sessionToken, config.sessionIdle())
          .map(u -> u == null ? null : Participant.member(u.id(), u.displayName(), u.admin()));
    } else if (guestToken != null) {
      who = guests.apply(guestToken);
    } else {
      who = Future.succeededFuture(null);
    }
    String digest = loginDigest;
    who.onComplete(result -> {
      Participant p = result.succeeded() ? result.result() : null;
      if (p == null) {
        hs.reject(403);
        return;
      }
      if (!counter.tryOpen(p.key(), MAX_CONNECTIONS_PER_PARTICIPANT)) {
        hs.reject(429);
        return;
      }
      hs.accept().onSuccess(ws -> open(ws, p, digest)).onFailure(e -> counter.closed(p.key()));
    });
  }

  private void open(ServerWebSocket ws, Participant p, String loginDigest) {
    Connection c = new Connection(ws, p, loginDigest);
    connections.add(c);
    ws.textMessageHandler(text -> onText(c, text));
    ws.binaryMessageHandler(b -> c.error(null, new ApiError(400, "malformed_json", "Send JSON text frames")));
    ws.pongHandler(b -> c.heard());
    ws.exceptionHandler(e -> LOG.debug("socket error participant={}", p.key(), e));
    ws.closeHandler(v -> closed(c));
    JsonObject who = new JsonObject().put("key", p.key()).put("name", p.name()).put("guest", p.isGuest());
    if (p.userId() != null) {
      who.put("userId", p.userId());
    }
    c.send(new JsonObject().put("type", "hello").put("participant", who)
        .put("heartbeatSeconds", config.heartbeat().toSeconds()).put("maxFrameBytes", MAX_FRAME_BYTES));
  }

  private void onText(Connection c, String text) {
    c.heard();
    if (text.length() > MAX_FRAME_BYTES / 4 && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
      c.close(CloseCodes.TOO_BIG, "frame_too_big");
      return;
    }
    JsonObject json;
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (!(parsed instanceof JsonObject obj)) {
        c.error(null, new ApiError(400, "malformed_json", "A request is a JSON object"));
        return;
      }
      json = obj;
    } catch (DecodeException e) {
      c.error(null, new ApiError(400, "malformed_json", "The frame is not valid JSON"));
      return;
    }
    Object id = json.getValue("id");
    if (id == null) {
      c.error(null, ApiError.missing("id"));
      return;
    }
    if (!(id instanceof String) && !(id instanceof Number)) {
      c.error(null, ApiError.invalid("id", "must be a string or a number"));
      return;
    }
    if (id instanceof String s && !de.werkraum.web.Field.storable(s)) {
      c.error(null, de.werkraum.web.Field.invalidText("id"));
      return;
    }
    Object type = json.getValue("type");
    if (!(type instanceof String t)) {
      c.error(id, type == null ? ApiError.missing("type") : ApiError.invalid("type", "must be a string"));
      return;
    }
    if (!de.werkraum.web.Field.storable(t)) {
      c.error(id, de.werkraum.web.Field.invalidText("type"));
      return;
    }
    Request request = new Request(id, t, json);
    if ("ping".equals(t)) {
      c.ack(request, new JsonObject().put("time", System.currentTimeMillis()));
      return;
    }
    SocketHandler handler = handlers.get(t);
    if (handler == null) {
      c.error(id, new ApiError(400, "unknown_type", "Unknown request type '" + t + "'"));
      return;
    }
    try {
      handler.handle(c, request);
    } catch (ApiError e) {
      c.error(id, e);
    } catch (RuntimeException e) {
      LOG.error("request failed type={}", t, e);
      c.error(id, new ApiError(500, "internal", "Something went wrong on the server"));
    }
  }

  private void closed(Connection c) {
    c.markClosed();
    if (connections.remove(c)) {
      counter.closed(c.participant().key());
      for (SocketHandler h : allHandlers) {
        h.closed(c);
      }
    }
  }

  /** Sends {@code frame} to every socket of the participant {@code key}, whatever rooms it is in (or none yet). */
  private void sendToParticipant(JsonObject msg) {
    String key = msg.getString("key");
    String frame = msg.getJsonObject("frame").encode();
    for (Connection c : List.copyOf(connections)) {
      if (key.equals(c.participant().key())) {
        c.send(frame);
      }
    }
  }

  private void closeMatching(JsonObject what) {
    Long userId = what.getLong("userId");
    String session = what.getString("session");
    for (Connection c : List.copyOf(connections)) {
      boolean match = (userId != null && userId.equals(c.participant().userId()))
          || (session != null && session.equals(c.loginSession()));
      if (match) {
        c.close(CloseCodes.POLICY, "access_ended");
      }
    }
  }

  /**
   * Every second one slice of the sockets is pinged, so each gets one ping per heartbeat interval but not
   * all at once (pinging 10,000 sockets in one go stalled delivery for 200–300 ms).
   */
  private void heartbeat() {
    long slices = Math.max(1, config.heartbeat().toSeconds());
    long slice = heartbeatTick++ % slices;
    long limit = System.nanoTime() - config.heartbeatTimeout().toNanos();
    for (Connection c : List.copyOf(connections)) {
      if ((c.hashCode() & 0x7fffffff) % slices != slice) {
        continue;
      }
      if (c.lastHeardNanos() < limit) {
        c.close(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat_timeout");
      } else {
        c.socket().writePing(Buffer.buffer("hb"));
      }
    }
  }

  private static Map<String, String> cookies(String header) {
    Map<String, String> map = new HashMap<>();
    if (header != null) {
      for (Cookie cookie : ServerCookieDecoder.STRICT.decode(header)) {
        map.put(cookie.name(), cookie.value());
      }
    }
    return map;
  }
}
