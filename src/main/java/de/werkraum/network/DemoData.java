package de.werkraum.network;

import de.werkraum.account.AccountService;
import de.werkraum.account.Tokens;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clearly labelled sample data for trying the platform (--demo): four spaces, a dozen organisations
 * across the five sectors, three dozen members. Only written into a database without spaces.
 * Sample members get an unusable random password; they exist to be found, not to log in.
 */
public final class DemoData {

  private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
  static final String LABEL = "Beispieldaten: ";

  private static final String[][] SPACES = {
      {"Innovationsraum Emscher-Quartiere (Beispiel)", "Quartiersentwicklung entlang der renaturierten Emscher."},
      {"Innovationsraum Wohnen und Bauen (Beispiel)", "Bezahlbares, klimagerechtes Wohnen in Bestandsquartieren."},
      {"Innovationsraum Mobilität (Beispiel)", "Wege zwischen Arbeit, Wohnen und Freizeit neu denken."},
      {"Innovationsraum Energie und Klima (Beispiel)", "Wärmewende und Klimaanpassung im Quartier."},
  };

  // name, sector, city, description
  private static final String[][] ORGANISATIONS = {
      {"Stadt Gelsenkirchen, Referat Stadtplanung (Beispiel)", "politics_administration", "Gelsenkirchen", "Planung und Entwicklung der Stadtquartiere."},
      {"Regionalverband Ruhrgebiet, Team Freiraum (Beispiel)", "politics_administration", "Essen", "Regionale Freiraum- und Grünplanung."},
      {"Bezirksvertretung Dortmund-Nord (Beispiel)", "politics_administration", "Dortmund", "Politische Vertretung der Nordstadt."},
      {"Wohnungsgenossenschaft Glückauf eG (Beispiel)", "business", "Bochum", "Genossenschaftliches Wohnen in Bergarbeitersiedlungen."},
      {"Ruhr Solar GmbH (Beispiel)", "business", "Herne", "Photovoltaik auf Dächern von Mehrfamilienhäusern."},
      {"Quartierslabor Ingenieure PartG (Beispiel)", "business", "Duisburg", "Ingenieurbüro für Quartiersenergiekonzepte."},
      {"Institut für Stadt- und Regionalforschung (Beispiel)", "science", "Dortmund", "Forschung zu Stadtumbau und Strukturwandel."},
      {"Hochschule Ruhr West, Fachgebiet Mobilität (Beispiel)", "science", "Mülheim an der Ruhr", "Angewandte Forschung zu Mobilität im Quartier."},
      {"Nachbarschaftsverein Hassel e. V. (Beispiel)", "association", "Gelsenkirchen", "Nachbarschaftshilfe und Stadtteilfeste."},
      {"Verkehrsclub Ruhr e. V. (Beispiel)", "association", "Essen", "Verband für Fuß- und Radverkehr."},
      {"Stiftung Zukunft Revier (Beispiel)", "foundation", "Essen", "Fördert Projekte für lebenswerte Quartiere."},
      {"Bürgerstiftung Oberhausen (Beispiel)", "foundation", "Oberhausen", "Engagement für Bildung und Nachbarschaft."},
  };

  private static final String[] FIRST = {"Anna", "Ben", "Clara", "Deniz", "Elif", "Frank", "Greta", "Hakan", "Ines", "Jonas",
      "Katharina", "Lukas", "Mira", "Nils", "Olga", "Paul", "Rana", "Sebastian"};
  private static final String[] LAST = {"Schneider", "Yilmaz", "Kowalski", "Hoffmann", "Becker", "Nowak"};
  private static final String[] POSITIONS = {"Projektleitung", "Referentin für Quartiersentwicklung", "Geschäftsführung",
      "Wissenschaftlicher Mitarbeiter", "Quartiersmanagerin", "Vorstand"};

  private final Pool pool;
  private final AccountService accounts;

  public DemoData(Pool pool, AccountService accounts) {
    this.pool = pool;
    this.accounts = accounts;
  }

  public Future<Void> fillIfEmpty() {
    return pool.query("SELECT 1 FROM spaces LIMIT 1").execute().compose(rows -> {
      if (rows.size() > 0) {
        LOG.info("demo data skipped: the database has spaces already");
        return Future.succeededFuture();
      }
      return accounts.hash(Tokens.newToken()).compose(hash -> pool.withTransaction(tx -> fill(tx, hash)))
          .onSuccess(v -> LOG.info("demo data written"));
    });
  }

  private Future<Void> fill(SqlConnection tx, String unusableHash) {
    List<Tuple> spaces = new ArrayList<>();
    for (String[] s : SPACES) {
      spaces.add(Tuple.of(s[0], LABEL + s[1]));
    }
    List<Tuple> orgs = new ArrayList<>();
    for (String[] o : ORGANISATIONS) {
      orgs.add(Tuple.of(o[0], o[1], o[2], "", LABEL + o[3]));
    }
    List<Tuple> users = new ArrayList<>();
    int n = 0;
    for (String first : FIRST) {
      for (int k = 0; k < 2; k++, n++) {
        String last = LAST[(n + k) % LAST.length];
        String name = first + " " + last;
        String email = (first + "." + last + n).toLowerCase().replace("ö", "oe").replace("ü", "ue") + "@beispiel.invalid";
        users.add(Tuple.of(email, unusableHash, name, POSITIONS[n % POSITIONS.length],
            LABEL + "Beispielprofil von " + name + ".", n % ORGANISATIONS.length));
      }
    }
    return tx.preparedQuery("INSERT INTO spaces (name, description) VALUES ($1, $2)").executeBatch(spaces)
        .compose(v -> tx.preparedQuery("INSERT INTO organisations (name, sector, city, website, description) VALUES ($1, $2, $3, $4, $5)")
            .executeBatch(orgs))
        .compose(v -> tx.preparedQuery("""
                INSERT INTO users (email, password_hash, display_name, position, bio, organisation_id)
                VALUES ($1, $2, $3, $4, $5, (SELECT id FROM organisations ORDER BY id OFFSET $6 LIMIT 1))""")
            .executeBatch(users))
        .compose(v -> tx.query("""
                INSERT INTO space_members (space_id, user_id, role)
                SELECT s.id, u.id, CASE WHEN row_number() OVER (PARTITION BY s.id ORDER BY u.id) <= 2 THEN 'coordinator' ELSE 'member' END
                FROM spaces s JOIN users u ON u.email LIKE '%@beispiel.invalid'
                 AND (u.id + s.id) % 3 = 0""").execute())
        .mapEmpty();
  }
}
