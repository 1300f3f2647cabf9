package de.werkraum.web.socket;

import java.util.Set;

/** What a feature plugs into the WebSocket gateway: the request types it answers. */
public interface SocketHandler {

  Set<String> types();

  /** Answers the request with exactly one ack or error (through {@link Connection#ack} / {@link Connection#error}). */
  void handle(Connection connection, Request request);

  /** The connection is gone; drop everything held for it. */
  void closed(Connection connection);
}
