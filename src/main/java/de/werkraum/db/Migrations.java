package de.werkraum.db;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the schema up to date; the only way the schema ever changes. Blocking. */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  public static void migrate(Database db) {
    var props = db.jdbcProperties();
    var result = Flyway.configure()
        .dataSource(db.jdbcUrl(), props.getProperty("user"), props.getProperty("password"))
        .locations("classpath:db/migration")
        .load()
        .migrate();
    LOG.info("schema migrated executed={} version={}", result.migrationsExecuted,
        result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion);
  }
}
