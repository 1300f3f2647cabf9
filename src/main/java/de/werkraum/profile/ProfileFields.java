package de.werkraum.profile;

import de.werkraum.ot.Delta;
import de.werkraum.ot.Op;
import de.werkraum.web.ApiError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fixed template of a profile and what an edit of each field may contain: the title is plain text,
 * the other fields rich text with a small set of formats. Authorship is stamped by the server.
 */
public final class ProfileFields {

  public static final String TITLE = "title";
  /** The template, in the order the profile shows it. */
  public static final List<String> FIELDS = List.of(TITLE, "summary", "challenge", "goals", "measures", "partners",
      "location", "timeline", "funding", "contacts");
  public static final String AUTHOR = "author";
  /** Largest text one edit may insert, and largest a field may grow to (UTF-16 code units). */
  public static final int MAX_INSERT = 10_000;
  public static final int MAX_FIELD_LENGTH = 100_000;
  public static final int MAX_TITLE_LENGTH = 200;

  private static final Set<String> INLINE = Set.of("bold", "italic", "link");
  private static final Set<String> LINE = Set.of("header", "list");

  private ProfileFields() {}

  public static void checkField(String field) {
    if (!FIELDS.contains(field)) {
      throw new ApiError(400, "unknown_field", "A profile has no field '" + field + "'", "field");
    }
  }

  /**
   * Checks the formats of every op and returns the delta with every insert stamped with its author
   * (any author a client sent is replaced). Fails with {@code invalid_attributes} or {@code insert_too_large}.
   */
  public static Delta checkAndStamp(String field, Delta delta, String author) {
    Delta.Builder stamped = Delta.builder();
    int inserted = 0;
    for (Op op : delta.ops()) {
      Map<String, Object> attrs = op.attributes() == null ? new HashMap<>() : new HashMap<>(op.attributes());
      attrs.remove(AUTHOR);
      for (Map.Entry<String, Object> e : attrs.entrySet()) {
        checkAttribute(field, e.getKey(), e.getValue(), op.isRetain());
      }
      switch (op.type()) {
        case INSERT -> {
          inserted += op.length();
          attrs.put(AUTHOR, author);
          stamped.push(Op.insert(op.text(), attrs));
        }
        case RETAIN -> stamped.push(Op.retain(op.length(), attrs));
        case DELETE -> stamped.push(op);
      }
    }
    if (inserted > MAX_INSERT) {
      throw new ApiError(413, "insert_too_large", "One edit may insert at most " + MAX_INSERT + " characters", "delta");
    }
    return stamped.build();
  }

  private static void checkAttribute(String field, String key, Object value, boolean retain) {
    boolean known = INLINE.contains(key) || LINE.contains(key);
    if (!known || TITLE.equals(field)) {
      throw new ApiError(400, "invalid_attributes", "Format '" + key + "' is not allowed in " + field, "delta");
    }
    if (value == null) {
      if (!retain) {
        throw new ApiError(400, "invalid_attributes", "Format '" + key + "' needs a value", "delta");
      }
      return;
    }
    boolean ok = switch (key) {
      case "bold", "italic" -> Boolean.TRUE.equals(value);
      case "header" -> value instanceof Long n && n >= 1 && n <= 3;
      case "list" -> "bullet".equals(value) || "ordered".equals(value);
      case "link" -> value instanceof String s && s.length() <= 2000 && (s.startsWith("https://") || s.startsWith("http://") || s.startsWith("mailto:"));
      default -> false;
    };
    if (!ok) {
      throw new ApiError(400, "invalid_attributes", "Format '" + key + "' has a value that is not allowed", "delta");
    }
  }
}
