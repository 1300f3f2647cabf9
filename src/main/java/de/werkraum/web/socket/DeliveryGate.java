package de.werkraum.web.socket;

import java.util.ArrayList;
import java.util.List;

/**
 * The way from one room or profile channel to one socket. While the socket's right to read is re-checked
 * (an {@link AccessChange} arrived), everything for it waits here; then it is sent on (right kept) or
 * dropped (right lost), so that nothing published after the change reaches a socket that lost the right.
 * Owned by the channel's event loop.
 */
public final class DeliveryGate {

  private final Connection connection;
  private int checks;
  private List<String> waiting;

  public DeliveryGate(Connection connection) {
    this.connection = connection;
  }

  public void send(String frame) {
    if (waiting != null) {
      waiting.add(frame);
    } else {
      connection.send(frame);
    }
  }

  /** A re-check starts: hold frames until {@link #checked} (re-checks may overlap). */
  public void hold() {
    checks++;
    if (waiting == null) {
      waiting = new ArrayList<>();
    }
  }

  /** A re-check found the right still there: once no other re-check is running, send what waited. */
  public void checked() {
    if (checks > 0 && --checks == 0) {
      List<String> frames = waiting;
      waiting = null;
      frames.forEach(connection::send);
    }
  }

  /** The right is gone: what waited is never sent. */
  public void drop() {
    checks = 0;
    waiting = null;
  }
}
