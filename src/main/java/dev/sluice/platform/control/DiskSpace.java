package dev.sluice.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Room on the disk of the data directory, when Sluice keeps data there: the embedded broker's journal or the H2
 * database. The embedded broker runs without producer flow control (a blocking round trip per new key otherwise), so
 * nothing else would hold publishers back before the disk is full and the broker stops on an I/O error. A standalone
 * broker holds publishers back itself (its {@code max-disk-usage}), and PostgreSQL keeps its data elsewhere: with
 * both, this always has room.
 */
@ApplicationScoped
public class DiskSpace {

    private static final Logger LOG = Logger.getLogger(DiskSpace.class.getName());

    @Inject
    @ConfigProperty(name = "sluice.broker.embedded")
    boolean embeddedBroker;

    @Inject
    @ConfigProperty(name = "sluice.db.url")
    String databaseUrl;

    @Inject
    @ConfigProperty(name = "sluice.data-dir")
    String dataDir;

    @Inject
    @ConfigProperty(name = "sluice.storage.max-disk-usage", defaultValue = "90")
    double maxDiskUsagePercent;

    private Room room;

    @PostConstruct
    void init() {
        Optional<FileStore> store = keepsDataLocally() ? fileStore(Path.of(dataDir)) : Optional.empty();
        room = new Room(maxDiskUsagePercent, () -> store.flatMap(DiskSpace::usage), NoRoom::onDisk);
    }

    /** Throws {@link NoRoom} while the disk is fuller than allowed. */
    public void requireRoom() {
        room.require();
    }

    private boolean keepsDataLocally() {
        return embeddedBroker || databaseUrl.startsWith("jdbc:h2:");
    }

    private static Optional<FileStore> fileStore(Path dataDir) {
        try {
            return Optional.of(Files.getFileStore(dataDir));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot watch the disk of " + dataDir + "; publishes are not limited by it", e);
            return Optional.empty();
        }
    }

    private static Optional<Room.Usage> usage(FileStore store) {
        try {
            long total = store.getTotalSpace();
            return Optional.of(new Room.Usage(total - store.getUsableSpace(), total));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
