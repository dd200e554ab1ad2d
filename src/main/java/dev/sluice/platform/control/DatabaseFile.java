package dev.sluice.platform.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Function;
import org.h2.Driver;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * The embedded H2 database's file, kept compact. With {@code WRITE_DELAY=0} (a commit is written before it is
 * answered) H2 runs no housekeeping of its own, and every commit writes a new chunk of whole pages. A chunk is only
 * freed once none of its pages is current, and a page that stops changing (a message that ended, an event) pins its
 * chunk: at 50 messages a second the file grew by 1.4 MB a second for as long as the load lasted, with 3 to 4 % of
 * it current (0.2 MB a second with compaction). {@link #compact} writes the current pages of chunks older than H2's
 * retention time (45 s) again; the commits after it drop those chunks, and their space is written over instead of
 * the file growing.
 */
public final class DatabaseFile {

    private final MVStore store;

    private DatabaseFile(MVStore store) {
        this.store = store;
    }

    /**
     * The file of the H2 database at {@code url}, through a connection of its own to it (a pooled connection cannot
     * be unwrapped to H2's class); the connection opens no database that is not there ({@code IFEXISTS}).
     */
    public static <T> T use(String url, String user, String password, Function<DatabaseFile, T> work)
            throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        try (Connection connection = new Driver().connect(url + ";IFEXISTS=TRUE", login)) {
            SessionLocal session = (SessionLocal) ((JdbcConnection) connection).getSession();
            return work.apply(new DatabaseFile(session.getDatabase().getStore().getMvStore()));
        }
    }

    /** Percent of the chunks' bytes that are current (H2's chunk fill rate). */
    public int fillRate() {
        return store.getFileStore().getChunksFillRate();
    }

    public long sizeBytes() {
        return store.getFileStore().size();
    }

    /**
     * While the chunks are less than {@code targetFillRate} percent current, writes again the current pages of the
     * emptiest chunks old enough to be rewritten, at most about {@code maxBytes} of them, in one commit of its own.
     * Commits wait meanwhile (H2 holds its store lock), so a pass is kept small.
     *
     * @return whether any page was written again
     */
    public boolean compact(int targetFillRate, int maxBytes) {
        boolean rewritten = store.compact(targetFillRate, maxBytes);
        if (rewritten) {
            store.commit();
        }
        return rewritten;
    }
}
