package de.werkraum.web.socket;

import de.werkraum.Config;
import de.werkraum.account.LoginSessionStore;
import de.werkraum.account.Participant;
import de.werkraum.account.SessionGuard;
import de.werkraum.account.Tokens;
import de.werkraum.web.ApiError;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
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

  /** Finds the guest behind the digest of a guest token (and until when they may stay), or null. */
  public interface GuestLookup extends Function<byte[], Future<Admission>> {}

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
  private MessageConsumer<JsonObject> accessChanged;
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
    accessChanged = vertx.eventBus().<JsonObject>consumer(AccessChange.ADDRESS, msg -> {
      AccessChange change = AccessChange.fromJson(msg.body());
      for (SocketHandler h : allHandlers) {
        h.accessChanged(change);
      }
    });
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
    if (accessChanged != null) {
      accessChanged.unregister();
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
    boolean guest = sessionToken == null;
    byte[] credential = sessionToken != null ? Tokens.digest(sessionToken) : guestToken != null ? Tokens.digest(guestToken) : null;
    Future<Admission> who = credential == null ? Future.succeededFuture(null) : admit(credential, guest);
    who.onComplete(result -> {
      Admission a = result.succeeded() ? result.result() : null;
      if (a == null) {
        hs.reject(403);
        return;
      }
      Participant p = a.participant();
      if (!counter.tryOpen(p.key(), MAX_CONNECTIONS_PER_PARTICIPANT)) {
        hs.reject(429);
        return;
      }
      hs.accept().onSuccess(ws -> open(ws, a, guest ? null : HexFormat.of().formatHex(credential), credential))
          .onFailure(e -> counter.closed(p.key()));
    });
  }

  /** Who the credential (digest of the session or guest cookie) lets in now, and until when; null if no one. */
  private Future<Admission> admit(byte[] credential, boolean guest) {
    if (guest) {
      return guests.apply(credential);
    }
    return sessions.findByDigest(credential).map(row -> row == null || !row.isValid(config.sessionIdle()) ? null
        : new Admission(Participant.member(row.user().id(), row.user().displayName(), row.user().admin()),
            row.validUntil(config.sessionIdle()).toInstant()));
  }

  private void open(ServerWebSocket ws, Admission admission, String loginDigest, byte[] credential) {
    Participant p = admission.participant();
    Connection c = new Connection(ws, p, loginDigest, credential);
    connections.add(c);
    // Frames, not Vert.x's text messages: those turn bytes that are not UTF-8 into U+FFFD.
    ws.frameHandler(frame -> onFrame(c, frame));
    ws.pongHandler(b -> c.heard());
    ws.exceptionHandler(e -> onSocketError(c, e));
    ws.closeHandler(v -> closed(c));
    JsonObject who = new JsonObject().put("key", p.key()).put("name", p.name()).put("guest", p.isGuest());
    if (p.userId() != null) {
      who.put("userId", p.userId());
    }
    c.send(new JsonObject().put("type", "hello").put("participant", who)
        .put("heartbeatSeconds", config.heartbeat().toSeconds()).put("maxFrameBytes", MAX_FRAME_BYTES));
    recheckAt(c, admission.until());
  }

  /**
   * Nothing happens on the server when a login session passes its idle or absolute limit, or a guest's
   * session its end: each socket has a timer for the moment its credential may run out, and then reads it
   * again (a request in another tab may have extended the idle limit; a session's end may have moved).
   * Still valid: a new timer; else the socket closes with 1008. Socket traffic does not extend the idle
   * limit (as over HTTP, only requests with the session cookie do).
   */
  private void recheckAt(Connection c, Instant until) {
    long delay = Math.max(CREDENTIAL_RECHECK_MIN_MS, Duration.between(Instant.now(), until).toMillis() + CREDENTIAL_RECHECK_MIN_MS);
    c.credentialTimer(vertx.setTimer(delay, t -> {
      c.credentialTimer(-1);
      if (!c.isOpen()) {
        return;
      }
      admit(c.credential(), c.participant().isGuest()).onComplete(result -> {
        if (!c.isOpen()) {
          return;
        }
        if (result.failed()) {
          LOG.warn("credential re-check failed participant={}", c.participant().key(), result.cause());
          recheckAt(c, Instant.now().plusSeconds(1));
        } else if (result.result() == null) {
          c.close(CloseCodes.POLICY, "access_ended");
        } else {
          recheckAt(c, result.result().until());
        }
      });
    }));
  }

  /** The least wait before a credential is read again (also the margin after its end). */
  static final long CREDENTIAL_RECHECK_MIN_MS = 20;

  /**
   * Gathers the data frames of one message (Netty has already refused reserved bits, unknown opcodes and
   * continuations out of place) and reads it when its last frame is in: over 64 KiB closes with 1009 as
   * soon as it is, bytes that are not UTF-8 close with 1007 before anything is decoded or dispatched.
   */
  private void onFrame(Connection c, WebSocketFrame frame) {
    c.heard();
    WebSocketFrameType type = frame.type();
    if (!c.isOpen() || (type != WebSocketFrameType.TEXT && type != WebSocketFrameType.BINARY && type != WebSocketFrameType.CONTINUATION)) {
      return;
    }
    if (type != WebSocketFrameType.CONTINUATION) {
      c.startMessage(type == WebSocketFrameType.BINARY);
    }
    if (!c.addToMessage(frame.binaryData(), MAX_FRAME_BYTES)) {
      c.close(CloseCodes.TOO_BIG, "frame_too_big");
      return;
    }
    if (!frame.isFinal()) {
      return;
    }
    boolean binary = c.messageIsBinary();
    byte[] bytes = c.takeMessage();
    if (binary) {
      c.error(null, new ApiError(400, "malformed_json", "Send JSON text frames"));
      return;
    }
    String text = FrameReader.utf8(bytes);
    if (text == null) {
      c.close(CloseCodes.INVALID_DATA, "invalid_utf8");
      return;
    }
    onText(c, text);
  }

  /**
   * A framing error Netty found (reserved bit set, unknown opcode, fragmented control frame, unmasked
   * frame, continuation out of place, frame over the transport limit). Vert.x closes the TCP connection
   * right after this handler without a close frame, so the close frame with Netty's code (1002, or 1009)
   * is written and flushed here, directly.
   */
  private void onSocketError(Connection c, Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException bad && c.isOpen()) {
      short code = (short) bad.closeStatus().code();
      LOG.debug("protocol error participant={} code={}: {}", c.participant().key(), code, e.getMessage());
      c.markClosed();
      if (c.socket() instanceof WebSocketInternal internal) {
        internal.channelHandlerContext().writeAndFlush(new CloseWebSocketFrame(code, "protocol_error"));
      } else {
        c.socket().close(code, "protocol_error");
      }
      return;
    }
    LOG.debug("socket error participant={}", c.participant().key(), e);
  }

  private void onText(Connection c, String text) {
    FrameReader.Read read = FrameReader.request(text);
    if (read.error() != null) {
      c.error(read.errorId(), read.error());
      return;
    }
    Request request = read.request();
    Object id = request.id();
    String t = request.type();
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
    if (c.credentialTimer() >= 0) {
      vertx.cancelTimer(c.credentialTimer());
    }
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
    String except = what.getString("exceptSession");
    for (Connection c : List.copyOf(connections)) {
      boolean match = (userId != null && userId.equals(c.participant().userId()) && (except == null || !except.equals(c.loginSession())))
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
