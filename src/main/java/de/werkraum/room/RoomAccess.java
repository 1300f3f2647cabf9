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
        (((%2$s::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM users au WHERE au.id = %2$s AND au.active) AND (
            EXISTS (SELECT 1 FROM users au WHERE au.id = %2$s AND au.admin)
            OR EXISTS (SELECT 1 FROM space_members asm WHERE asm.space_id = %1$s.space_id AND asm.user_id = %2$s AND asm.role = 'coordinator')
            OR (EXISTS (SELECT 1 FROM space_members asm WHERE asm.space_id = %1$s.space_id AND asm.user_id = %2$s)
                AND (NOT %1$s.restricted OR EXISTS (SELECT 1 FROM room_access ara WHERE ara.room_id = %1$s.id AND ara.user_id = %2$s)))
            OR EXISTS (SELECT 1 FROM sessions ase JOIN session_moderators asmo ON asmo.session_id = ase.id
                       WHERE ase.room_id = %1$s.id AND asmo.user_id = %2$s)))
         OR (%3$s::bigint IS NOT NULL AND EXISTS (
            SELECT 1 FROM guests ag JOIN sessions ase ON ase.id = ag.session_id
            WHERE ag.id = %3$s AND ag.status = 'admitted' AND ase.room_id = %1$s.id AND now() < ase.ends_at)))
         AND NOT EXISTS (SELECT 1 FROM room_bans ab WHERE ab.room_id = %1$s.id AND ab.participant IN ('u' || %2$s::bigint, 'g' || %3$s::bigint)))"""
        .formatted(r, u, g);
  }

  /**
   * The participant's role in room {@code r}, as the join answer and the channel know it: {@code guest},
   * {@code moderator} (of its session), {@code coordinator} (of its space), {@code admin} or {@code member}.
   */
  static String role(String r, String u, String g) {
    return """
        (CASE WHEN %3$s::bigint IS NOT NULL THEN 'guest'
              WHEN EXISTS (SELECT 1 FROM sessions rse JOIN session_moderators rsm ON rsm.session_id = rse.id WHERE rse.room_id = %1$s.id AND rsm.user_id = %2$s) THEN 'moderator'
              WHEN EXISTS (SELECT 1 FROM space_members rsp WHERE rsp.space_id = %1$s.space_id AND rsp.user_id = %2$s AND rsp.role = 'coordinator') THEN 'coordinator'
              WHEN EXISTS (SELECT 1 FROM users ru WHERE ru.id = %2$s AND ru.admin) THEN 'admin'
              ELSE 'member' END)"""
        .formatted(r, u, g);
  }

  /**
   * True when the member {@code u} moderates room {@code r}: an active admin, a coordinator of its space,
   * or a moderator of its session. Guests never moderate.
   */
  static String canModerate(String r, String u) {
    return """
        (%2$s::bigint IS NOT NULL AND EXISTS (SELECT 1 FROM users mu WHERE mu.id = %2$s AND mu.active) AND (
            EXISTS (SELECT 1 FROM users mu WHERE mu.id = %2$s AND mu.admin)
            OR EXISTS (SELECT 1 FROM space_members msm WHERE msm.space_id = %1$s.space_id AND msm.user_id = %2$s AND msm.role = 'coordinator')
            OR EXISTS (SELECT 1 FROM sessions mse JOIN session_moderators msmo ON msmo.session_id = mse.id
                       WHERE mse.room_id = %1$s.id AND msmo.user_id = %2$s)))"""
        .formatted(r, u);
  }

  /** What a write is, for the moderation gate: a post, an edit of one's message, or a reaction. */
  enum Write { POST, EDIT, REACT }

  /**
   * Why the moderation state of room {@code r} refuses this write by participant {@code k} (key), or NULL
   * when it allows it: {@code muted}, {@code room_locked} or {@code floor_only}. Moderators pass. Slow mode
   * is enforced separately (it needs a row lock on the participant's last post).
   */
  static String gate(String r, String k, String u, Write write) {
    String mute = "EXISTS (SELECT 1 FROM room_mutes gm WHERE gm.room_id = %1$s.id AND gm.participant = %2$s AND (gm.until IS NULL OR gm.until > now())%3$s)"
        .formatted(r, k, write == Write.REACT ? " AND gm.with_reactions" : "");
    String floorRule = "%1$s.floor_only AND %1$s.floor_holder IS DISTINCT FROM %2$s".formatted(r, k);
    String floor = write == Write.REACT ? "" : " WHEN " + floorRule + " THEN 'floor_only'";
    // Nothing restricts this write (the common case): allowed without asking whether the writer moderates,
    // which would cost several lookups on every post.
    String restricted = "(" + r + ".locked OR " + mute + (write == Write.REACT ? "" : " OR (" + floorRule + ")") + ")";
    return "(CASE WHEN NOT " + restricted + " THEN NULL WHEN " + canModerate(r, u) + " THEN NULL WHEN " + mute + " THEN 'muted' WHEN "
        + r + ".locked THEN 'room_locked'" + floor + " END)";
  }

  /** True when room {@code r} takes new messages: not archived, and not the room of a session that has ended. */
  static String isOpen(String r) {
    return """
        (%1$s.archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM sessions aso WHERE aso.room_id = %1$s.id AND aso.ends_at <= now()))"""
        .formatted(r);
  }
}
