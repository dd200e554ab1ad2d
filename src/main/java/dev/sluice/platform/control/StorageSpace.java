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
 * Refuses new messages while the disk of the data directory is nearly full, when the embedded broker keeps its
 * journal there. That broker runs without producer flow control (a blocking round trip per new key otherwise), so
 * nothing else would hold publishers back before the disk is full and the broker stops on an I/O error. A
 * standalone broker holds publishers back itself (its {@code max-disk-usage}): with one, this never refuses.
 */
@ApplicationScoped
public class StorageSpace {

    private static final Logger LOG = Logger.getLogger(StorageSpace.class.getName());
    private static final long CHECK_INTERVAL_MILLIS = 1_000;

    @Inject
    @ConfigProperty(name = "sluice.broker.embedded")
    boolean embeddedBroker;

    @Inject
    @ConfigProperty(name = "sluice.data-dir")
    String dataDir;

    @Inject
    @ConfigProperty(name = "sluice.storage.max-disk-usage", defaultValue = "90")
    double maxDiskUsagePercent;

    private DiskRoom room;

    @PostConstruct
    void init() {
        Optional<FileStore> store = fileStore(Path.of(dataDir));
        room = new DiskRoom(maxDiskUsagePercent, () -> store.flatMap(StorageSpace::usage),
                System::currentTimeMillis, CHECK_INTERVAL_MILLIS);
    }

    /** Throws {@link NoRoom} while the embedded broker's disk is fuller than allowed. */
    public void requireRoom() {
        if (embeddedBroker) {
            room.require();
        }
    }

    private static Optional<FileStore> fileStore(Path dataDir) {
        try {
            return Optional.of(Files.getFileStore(dataDir));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot watch the disk of " + dataDir + "; publishes are not limited by it", e);
            return Optional.empty();
        }
    }

    private static Optional<DiskRoom.Usage> usage(FileStore store) {
        try {
            return Optional.of(new DiskRoom.Usage(store.getUsableSpace(), store.getTotalSpace()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
