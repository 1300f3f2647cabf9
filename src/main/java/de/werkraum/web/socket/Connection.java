package de.werkraum.web.socket;

import de.werkraum.account.Participant;
import de.werkraum.web.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * One browser tab's WebSocket. Owned by the gateway instance that accepted it; all its state is touched
 * only on that instance's event loop. Outbound frames go through {@link #send}, which closes the socket
 * with {@link CloseCodes#SLOW_CONSUMER} instead of queueing without bound.
 */
public final class Connection {

  private final ServerWebSocket socket;
  private final Participant participant;
  private final String loginSession;
  private final byte[] credential;
  private long credentialTimer = -1;
  private long lastHeard = System.nanoTime();
  private long pendingBytes;
  private boolean closed;
  /** The frames of the message being received (null between messages), and whether it is binary. */
  private Buffer message;
  private boolean binaryMessage;

  Connection(ServerWebSocket socket, Participant participant, String loginSession, byte[] credential) {
    this.socket = socket;
    this.participant = participant;
    this.loginSession = loginSession;
    this.credential = credential;
  }

  public Participant participant() {
    return participant;
  }

  /** Hex digest of the login session behind this socket (null for guests). */
  String loginSession() {
    return loginSession;
  }

  /** Digest of the cookie that let this socket in (login session or guest token), to check it again later. */
  byte[] credential() {
    return credential;
  }

  /** The timer that checks the credential again when it may have run out (-1: none). */
  long credentialTimer() {
    return credentialTimer;
  }

  void credentialTimer(long id) {
    credentialTimer = id;
  }

  public boolean isOpen() {
    return !closed;
  }

  /**
   * Queues a frame. Bytes not yet handed to the operating system are counted (a write's future
   * completes when it is); past {@link WebSocketGateway#WRITE_QUEUE_BYTES} the client is too slow.
   */
  public void send(String frame) {
    if (closed) {
      return;
    }
    int size = frame.length();
    if (pendingBytes + size > WebSocketGateway.WRITE_QUEUE_BYTES) {
      close(CloseCodes.SLOW_CONSUMER, "slow_consumer");
      return;
    }
    pendingBytes += size;
    socket.writeTextMessage(frame).onComplete(done -> pendingBytes -= size);
  }

  public void send(JsonObject frame) {
    send(frame.encode());
  }

  public void ack(Request request, Object result) {
    send(new JsonObject().put("type", "ack").put("id", request.id()).put("result", result));
  }

  /** Acks the request with the future's result, or answers its failure as an error frame. */
  public void reply(Request request, io.vertx.core.Future<?> result) {
    result.onSuccess(r -> ack(request, r)).onFailure(e -> {
      if (e instanceof ApiError api) {
        error(request.id(), api);
      } else {
        org.slf4j.LoggerFactory.getLogger(Connection.class).error("request failed type={}", request.type(), e);
        error(request.id(), new ApiError(500, "internal", "Something went wrong on the server"));
      }
    });
  }

  public void error(Object id, ApiError error) {
    JsonObject frame = new JsonObject().put("type", "error").put("id", id).put("code", error.code()).put("message", error.getMessage());
    if (error.field() != null) {
      frame.put("field", error.field());
    }
    if (error.details() != null) {
      frame.put("details", error.details());
    }
    send(frame);
  }

  public void close(short code, String reason) {
    if (!closed) {
      closed = true;
      socket.close(code, reason);
    }
  }

  void startMessage(boolean binary) {
    message = Buffer.buffer();
    binaryMessage = binary;
  }

  /**
   * Adds a frame's bytes (copied) to the message; false if the message would pass {@code maxBytes} (or
   * none was begun, which Netty's decoder already refuses as a protocol error).
   */
  boolean addToMessage(Buffer data, int maxBytes) {
    if (message == null || message.length() + data.length() > maxBytes) {
      message = null;
      return false;
    }
    message.appendBuffer(data);
    return true;
  }

  boolean messageIsBinary() {
    return binaryMessage;
  }

  byte[] takeMessage() {
    byte[] bytes = message.getBytes();
    message = null;
    return bytes;
  }

  void heard() {
    lastHeard = System.nanoTime();
  }

  long lastHeardNanos() {
    return lastHeard;
  }

  void markClosed() {
    closed = true;
  }

  ServerWebSocket socket() {
    return socket;
  }
}
