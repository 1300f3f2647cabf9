package de.werkraum.room;

/**
 * The one SQL condition for "may this participant see room r" (and "write", for rooms that are open),
 * used inside every read and write, so that the right is checked on every request against the current
 * state of the database. Parameters: the participant's user id and guest id (one of them null).
 */
final class RoomAccess {

  private RoomAccess() {}

  /** True when the participant may read room {@code r}; {@code $u} user id, {@code $g} guest id placeholders. */
  static String canRead(String r, String u, String g) {
    return """
        ((%2$s::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM users au WHERE au.id = %2$s AND au.active) AND (
            EXISTS (SELECT 1 FROM users au WHERE au.id = %2$s AND au.admin)
            OR EXISTS (SELECT 1 FROM space_members asm WHERE asm.space_id = %1$s.space_id AND asm.user_id = %2$s AND asm.role = 'coordinator')
            OR (EXISTS (SELECT 1 FROM space_members asm WHERE asm.space_id = %1$s.space_id AND asm.user_id = %2$s)
                AND (NOT %1$s.restricted OR EXISTS (SELECT 1 FROM room_access ara WHERE ara.room_id = %1$s.id AND ara.user_id = %2$s)))
            OR EXISTS (SELECT 1 FROM sessions ase JOIN session_moderators asmo ON asmo.session_id = ase.id
                       WHERE ase.room_id = %1$s.id AND asmo.user_id = %2$s)))
         OR (%3$s::bigint IS NOT NULL AND EXISTS (
            SELECT 1 FROM guests ag JOIN sessions ase ON ase.id = ag.session_id
            WHERE ag.id = %3$s AND ag.status = 'admitted' AND ase.room_id = %1$s.id AND now() < ase.ends_at)))"""
        .formatted(r, u, g);
  }

  /** True when room {@code r} takes new messages: not archived, and not the room of a session that has ended. */
  static String isOpen(String r) {
    return """
        (%1$s.archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM sessions aso WHERE aso.room_id = %1$s.id AND aso.ends_at <= now()))"""
        .formatted(r);
  }
}
