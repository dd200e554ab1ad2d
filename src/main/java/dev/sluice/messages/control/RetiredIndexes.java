package dev.sluice.messages.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionCustomizer;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

/**
 * Drops the indexes earlier versions made and this one no longer keeps: each costs every insert and update of its
 * table. It runs when EclipseLink logs the persistence unit in (registered in persistence.xml), before the schema is
 * extended and before any entity manager is handed out, because H2 drops an index without locking its table: a
 * transaction writing the table meanwhile could fail. PostgreSQL drops it {@code CONCURRENTLY}, without blocking
 * the table's readers and writers, waiting at most {@value #LOCK_WAIT} for a lock. A database that refuses (a user
 * that does not own the table, a lock not granted in time) keeps the index and works as before, only slower; the
 * warning says what to run.
 */
public class RetiredIndexes implements SessionCustomizer {

    /** the message table's index on FLOW_KEY (see {@code Message}) */
    private static final List<String> NAMES = List.of("SLUICE_MESSAGE_KEY");
    private static final String LOCK_WAIT = "10s";

    private static final Logger LOG = Logger.getLogger(RetiredIndexes.class.getName());

    @Override
    public void customize(Session session) {
        session.getEventManager().addListener(new SessionEventAdapter() {
            @Override
            public void postLogin(SessionEvent event) {
                dataSourceOf(event.getSession()).ifPresentOrElse(RetiredIndexes::drop,
                        () -> LOG.warning("no data source to drop the retired indexes " + NAMES + " with"));
            }
        });
    }

    private static Optional<DataSource> dataSourceOf(Session session) {
        return session.getDatasourceLogin() instanceof DatabaseLogin login
                && login.getConnector() instanceof JNDIConnector connector
                ? Optional.ofNullable(connector.getDataSource()) : Optional.empty();
    }

    /** Each statement commits on its own: a failed one leaves nothing behind, and PostgreSQL needs it so. */
    static void drop(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                        .contains("postgres");
                NAMES.forEach(name -> drop(connection, name, postgres));
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not drop the retired indexes " + NAMES + " (they only slow writes down)", e);
        }
    }

    private static void drop(Connection connection, String name, boolean postgres) {
        String drop = "DROP INDEX " + (postgres ? "CONCURRENTLY " : "") + "IF EXISTS " + name;
        try (Statement statement = connection.createStatement()) {
            if (postgres) {
                statement.execute("SET lock_timeout = '" + LOCK_WAIT + "'");
            }
            try {
                statement.execute(drop);
            } finally {
                if (postgres) {
                    statement.execute("RESET lock_timeout");
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "could not drop the retired index " + name + " (it only slows writes down); run "
                    + drop + " as the table's owner (if the lock was not granted in time: when the table is idle)", e);
        }
    }
}
