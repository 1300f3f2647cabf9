package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.web.socket.Admission;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** SQL for guests of sessions. */
public final class GuestStore {

  private final Pool pool;

  public GuestStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * The guest behind the digest of a guest token, until their session ends, while it has not ended and they
   * were not turned away; else null.
   */
  public Future<Admission> admission(byte[] digest) {
    return pool.preparedQuery("""
            SELECT g.id, g.display_name, s.ends_at FROM guests g JOIN sessions s ON s.id = g.session_id
            WHERE g.token_hash = $1 AND g.status <> 'denied' AND now() < s.ends_at""")
        .execute(Tuple.of(Buffer.buffer(digest)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new Admission(Participant.guest(r.getLong(0), r.getString(1)), r.getOffsetDateTime(2).toInstant());
        });
  }
}
