package de.werkraum.profile;

import de.werkraum.web.ApiError;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a profile's metadata beside its documents: its status and its tags (Schlagworte).
 * They change by request (PATCH), with their own version for optimistic concurrency.
 */
public final class ProfileMeta {

  public static final Set<String> STATUSES = Set.of("draft", "review", "final");
  public static final int MAX_TAGS = 20;
  public static final int MAX_TAG_LENGTH = 40;

  private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private ProfileMeta() {}

  /**
   * Tags as they are stored: each trimmed, inner runs of white space made one space, and no two that
   * differ only in case (the first spelling stays), in the order given. Fails with {@code invalid_field}
   * on a tag holding control characters. Count and length are checked by the caller's reader.
   */
  public static List<String> tags(JsonArray given) {
    List<String> tags = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Object item : given) {
      String tag = SPACES.matcher(((String) item).strip()).replaceAll(" ").strip();
      if (tag.isEmpty()) {
        throw ApiError.invalid("tags", "must contain non-empty texts");
      }
      if (tag.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
        throw ApiError.invalid("tags", "must not contain control characters");
      }
      if (tag.length() > MAX_TAG_LENGTH) {
        throw ApiError.tooLong("tags", MAX_TAG_LENGTH);
      }
      if (seen.add(tag.toLowerCase(Locale.ROOT))) {
        tags.add(tag);
      }
    }
    return tags;
  }

  /** A tag filter of the list: trimmed like a stored tag; null when absent or blank. */
  public static String tagFilter(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String tag = SPACES.matcher(raw.strip()).replaceAll(" ");
    if (tag.length() > MAX_TAG_LENGTH) {
      throw new ApiError(400, "invalid_query", "Parameter 'tag' is longer than " + MAX_TAG_LENGTH + " characters", "tag");
    }
    return tag;
  }

  /** A status filter of the list; null when absent or blank. */
  public static String statusFilter(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    if (!STATUSES.contains(raw)) {
      throw new ApiError(400, "invalid_query", "Parameter 'status' must be one of " + STATUSES, "status");
    }
    return raw;
  }
}
