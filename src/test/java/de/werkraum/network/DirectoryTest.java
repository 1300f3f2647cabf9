package de.werkraum.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DirectoryTest {

  static TestPlatform server;
  static ApiClient member;
  static long space;
  static final String PASSWORD = "Halde-Rheinelbe-Himmelstreppe";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    long quartier = server.createOrganisation("Quartiersbüro Nordstadt", "association", "Dortmund",
        "Wir begleiten das Quartier bei der Erneuerung.");
    server.createOrganisation("Wohnbau Ruhr AG", "business", "Essen", "Neubau von Wohnungen in der Innenstadt.");
    server.createOrganisation("Stadtverwaltung Herne", "politics_administration", "Herne", "Verwaltung der Stadt.");
    space = server.createSpace("Energie");
    long ines = server.createUser("ines@dir.de", PASSWORD, "Ines Quartiermann", false);
    server.sql("UPDATE users SET organisation_id = $1, position = 'Leitung der Stadtteilarbeit', bio = 'Ich arbeite in Quartieren des Nordens.' WHERE id = $2", quartier, ines);
    server.addToSpace(space, ines, "member");
    server.createUser("ben@dir.de", PASSWORD, "Ben Bauer", false);
    for (int i = 0; i < 25; i++) {
      server.createOrganisation(String.format("Verein %02d", i), "association", "Bochum", "");
    }
    member = server.loggedIn("ben@dir.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> names(ApiClient.Response r, String field) {
    return r.items().stream().map(o -> ((JsonObject) o).getString(field)).toList();
  }

  @Test
  void germanStemmingFindsInflectedForms() {
    // "Quartiere" (plural) finds the organisation that writes "Quartier".
    ApiClient.Response r = member.get("/api/organisations?q=Quartiere");
    assertEquals(List.of("Quartiersbüro Nordstadt"), names(r, "name"));
    assertEquals(1, r.json().getLong("total"));
    // "Wohnung" finds "Wohnungen".
    assertEquals(List.of("Wohnbau Ruhr AG"), names(member.get("/api/organisations?q=Wohnung"), "name"));
  }

  @Test
  void memberSearchCoversProfileAndOrganisation() {
    assertEquals(List.of("Ines Quartiermann"), names(member.get("/api/members?q=Quartiere"), "displayName"));
    assertEquals(List.of("Ines Quartiermann"), names(member.get("/api/members?q=Stadtteilarbeit"), "displayName"));
    assertEquals(List.of("Ines Quartiermann"), names(member.get("/api/members?q=Nordstadt"), "displayName"));
    assertEquals(List.of("Ben Bauer"), names(member.get("/api/members?q=Bau"), "displayName"), "name substring");
  }

  @Test
  void filtersBySectorAndSpace() {
    assertEquals(List.of("Stadtverwaltung Herne"), names(member.get("/api/organisations?sector=politics_administration"), "name"));
    assertEquals(List.of("Ines Quartiermann"), names(member.get("/api/members?sector=association"), "displayName"));
    assertEquals(List.of("Ines Quartiermann"), names(member.get("/api/members?space=" + space), "displayName"));
    JsonArray spaces = member.get("/api/members?space=" + space).items().getJsonObject(0).getJsonArray("spaces");
    assertEquals("Energie", spaces.getJsonObject(0).getString("name"));
  }

  @Test
  void resultsArePaginatedWithoutGapsOrRepeats() {
    Set<String> seen = new HashSet<>();
    long total = member.get("/api/organisations?sector=association&size=10").json().getLong("total");
    assertEquals(26, total);
    for (int page = 0; page < 3; page++) {
      ApiClient.Response r = member.get("/api/organisations?sector=association&size=10&page=" + page);
      assertEquals(page < 2 ? 10 : 6, r.items().size());
      seen.addAll(names(r, "name"));
    }
    assertEquals(26, seen.size());
    assertTrue(member.get("/api/organisations?sector=association&size=10&page=3").items().isEmpty());
  }

  @Test
  void searchTextWithOperatorsAndWildcardsIsSafe() {
    assertEquals(200, member.get("/api/organisations?q=%25").status());
    assertEquals(200, member.get("/api/members?q=a%20%7C%20!b%20%22%27%3B--").status());
    assertEquals(0, member.get("/api/organisations?q=%25").json().getLong("total"), "% is a literal, not a wildcard");
  }
}
