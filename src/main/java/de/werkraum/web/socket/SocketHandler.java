package de.werkraum.web.socket;

import java.util.Set;

/** What a feature plugs into the WebSocket gateway: the request types it answers. */
public interface SocketHandler {

  Set<String> types();

  /** Answers the request with exactly one ack or error (through {@link Connection#ack} / {@link Connection#error}). */
  void handle(Connection connection, Request request);

  /** The connection is gone; drop everything held for it. */
  void closed(Connection connection);

  /**
   * Someone's right to read may have ended (see {@link AccessChange}): hold delivery to the sockets in scope
   * at once, re-check them against the database, and take those who lost it out (an {@code access_ended}
   * frame, then nothing more).
   */
  default void accessChanged(AccessChange change) {}
}
