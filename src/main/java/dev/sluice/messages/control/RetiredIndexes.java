package dev.sluice.messages.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Drops, at the start, the indexes earlier versions made and this one no longer keeps: each costs every insert and
 * update of its table. A database that refuses (a user that does not own the table) keeps them and works as before,
 * only slower; the warning says what to run.
 */
@Startup
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RetiredIndexes {

    /** the message table's index on FLOW_KEY (see {@code Message}) */
    public static final List<String> NAMES = List.of("SLUICE_MESSAGE_KEY");

    private static final Logger LOG = Logger.getLogger(RetiredIndexes.class.getName());

    @Resource(lookup = "java:app/jdbc/sluice")
    DataSource dataSource;

    @PostConstruct
    public void drop() {
        NAMES.forEach(this::drop);
    }

    private void drop(String name) {
        String statement = "DROP INDEX IF EXISTS " + name;
        try (Connection connection = dataSource.getConnection(); Statement drop = connection.createStatement()) {
            drop.execute(statement);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "could not drop the retired index " + name + " (it only slows writes down); run "
                    + statement + " as the table's owner", e);
        }
    }
}
