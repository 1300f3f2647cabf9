package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.account.Tokens;
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

  /** The guest behind a guest token, while their session has not ended and they were not turned away; else null. */
  public Future<Participant> participant(String token) {
    return pool.preparedQuery("""
            SELECT g.id, g.display_name FROM guests g JOIN sessions s ON s.id = g.session_id
            WHERE g.token_hash = $1 AND g.status <> 'denied' AND now() < s.ends_at""")
        .execute(Tuple.of(Buffer.buffer(Tokens.digest(token))))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return Participant.guest(r.getLong(0), r.getString(1));
        });
  }
}
