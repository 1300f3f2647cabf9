package de.werkraum.web.socket;

/** WebSocket close codes Werkraum uses (documented in docs/protocol.md). */
public final class CloseCodes {

  /** The server is shutting down; reconnect and resume. */
  public static final short GOING_AWAY = 1001;
  /**
   * A framing error: a reserved bit set (no extension is negotiated), an unknown opcode, a fragmented
   * control frame, an unmasked frame, a continuation frame out of place.
   */
  public static final short PROTOCOL_ERROR = 1002;
  /** A text message whose bytes are not UTF-8. */
  public static final short INVALID_DATA = 1007;
  /** The account was deactivated, or its login session ended: do not reconnect with the same session. */
  public static final short POLICY = 1008;
  /** A frame or message over 64 KiB. */
  public static final short TOO_BIG = 1009;
  /** No frame (not even a pong) for the heartbeat timeout. */
  public static final short HEARTBEAT_TIMEOUT = 4000;
  /** The outbound queue overflowed: the client read too slowly. Reconnect and resume with since. */
  public static final short SLOW_CONSUMER = 4002;
  /** Too many open connections for this participant. */
  public static final short TOO_MANY_CONNECTIONS = 4003;

  private CloseCodes() {}
}
