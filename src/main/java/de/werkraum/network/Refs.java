package de.werkraum.network;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Small references to other records, as they appear nested in answers. */
public final class Refs {

  private Refs() {}

  /** An organisation named in a member's entry. */
  public record OrganisationRef(long id, String name, String sector) {}

  /** A space someone belongs to, with their role there. */
  public record SpaceRole(long id, String name, String role) {}

  /** A person named in a list (coordinators, an organisation's members). */
  public record PersonRef(long id, String displayName, String position) {}

  static OrganisationRef organisation(Long id, String name, String sector) {
    return id == null ? null : new OrganisationRef(id, name, sector);
  }

  /** Reads the JSON array built by {@link #SPACES_OF_USER}. */
  static List<SpaceRole> spaceRoles(Object json) {
    List<SpaceRole> list = new ArrayList<>();
    if (json instanceof JsonArray array) {
      for (Object o : array) {
        JsonObject s = (JsonObject) o;
        list.add(new SpaceRole(s.getLong("id"), s.getString("name"), s.getString("role")));
      }
    }
    return list;
  }

  /** A correlated subquery giving a user's spaces as a JSON array; the outer query names the user {@code u}. */
  static final String SPACES_OF_USER = """
      (SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name, 'role', sm.role) ORDER BY s.name), '[]'::json)
         FROM space_members sm JOIN spaces s ON s.id = sm.space_id WHERE sm.user_id = u.id)""";

  /** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
  static String likePattern(String q) {
    return q == null ? null : "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}
