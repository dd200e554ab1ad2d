package dev.sluice.platform.control;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;

/**
 * Sluice's one datasource: a file-based H2 database in the data directory by default, PostgreSQL in production.
 * Everything comes from MicroProfile Config so switching is a matter of settings (see README).
 */
@Singleton
@DataSourceDefinition(
        name = "java:app/jdbc/sluice",
        className = "${MPCONFIG=sluice.db.datasource-class}",
        url = "${MPCONFIG=sluice.db.url}",
        user = "${MPCONFIG=sluice.db.user}",
        password = "${MPCONFIG=sluice.db.password}",
        minPoolSize = 2,
        maxPoolSize = 48)
public class Database {
}
