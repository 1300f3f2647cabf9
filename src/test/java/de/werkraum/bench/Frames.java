package de.werkraum.bench;

/**
 * The little the generator reads from and writes into protocol frames (docs/protocol.md), without a JSON
 * parser: the servers encode {@code type} first and {@code room}, {@code seq} next, so a prefix and a few
 * {@code indexOf} calls find everything. A post carries its send time as {@code t=<System.nanoTime()>} at
 * the start of its text; generator and receivers share the JVM, so the clock is the same.
 */
final class Frames {

  enum Kind { EVENT, ACK, ERROR, OTHER }

  private static final String EVENT = "{\"type\":\"event\"";
  private static final String ACK = "{\"type\":\"ack\",\"id\":";
  private static final String ERROR = "{\"type\":\"error\"";
  private static final String SEQ = "\"seq\":";
  private static final String SENT_AT = "\"text\":\"t=";
  private static final String LAST_SEQ = "\"lastSeq\":";
  private static final String CODE = "\"code\":\"";
  private static final String FILLER = "Guten Morgen zusammen, hier ist ein Beitrag aus dem Lasttest der Werkstatt.";

  private Frames() {}

  static Kind kind(String frame) {
    if (frame.startsWith(EVENT)) {
      return Kind.EVENT;
    }
    if (frame.startsWith(ACK)) {
      return Kind.ACK;
    }
    return frame.startsWith(ERROR) ? Kind.ERROR : Kind.OTHER;
  }

  /** The first {@code seq} of an event (the event's) or of a post's ack (the message's); -1 if none. */
  static long seq(String frame) {
    int at = frame.indexOf(SEQ);
    return at < 0 ? -1 : number(frame, at + SEQ.length());
  }

  /** The send time a post put into its text, or -1. */
  static long sentAt(String event) {
    int at = event.indexOf(SENT_AT);
    return at < 0 ? -1 : number(event, at + SENT_AT.length());
  }

  /** An ack of a join (its id is the string "j"), not of a post (a number: the post's send time). */
  static boolean isJoinAck(String ack) {
    return ack.charAt(ACK.length()) == '"';
  }

  /** The id of a post's ack: the post's send time. */
  static long ackedPostSentAt(String ack) {
    return number(ack, ACK.length());
  }

  /** A join ack's lastSeq, or -1. */
  static long lastSeq(String ack) {
    int at = ack.indexOf(LAST_SEQ);
    return at < 0 ? -1 : number(ack, at + LAST_SEQ.length());
  }

  static boolean isDuplicate(String ack) {
    return ack.contains("\"duplicate\":true");
  }

  static String errorCode(String error) {
    int at = error.indexOf(CODE);
    return at < 0 ? "?" : error.substring(at + CODE.length(), error.indexOf('"', at + CODE.length()));
  }

  /** An error that answers no post: one without id (a malformed frame) or one for the join. */
  static boolean answersNoPost(String error) {
    return error.contains("\"id\":null") || error.contains("\"id\":\"j\"");
  }

  static String join(long roomId) {
    return "{\"id\":\"j\",\"type\":\"join\",\"room\":" + roomId + "}";
  }

  /** A post whose id and text carry its send time; {@code key} makes it unique. */
  static String post(long roomId, String key, long sentAt) {
    return "{\"id\":" + sentAt + ",\"type\":\"post\",\"room\":" + roomId + ",\"key\":\"" + key
        + "\",\"text\":\"t=" + sentAt + " " + FILLER + "\"}";
  }

  /** Reads a (possibly negative) decimal number starting at {@code from}. */
  static long number(String s, int from) {
    int i = from;
    boolean negative = i < s.length() && s.charAt(i) == '-';
    if (negative) {
      i++;
    }
    long v = 0;
    for (; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        break;
      }
      v = v * 10 + (ch - '0');
    }
    return negative ? -v : v;
  }
}
