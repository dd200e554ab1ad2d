package dev.sluice.platform.control;

import com.sun.management.UnixOperatingSystemMXBean;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Room in the process's file handles. Each key whose waitlist the embedded broker pages to disk keeps a page file
 * open, and each connection is a handle too; when the broker cannot open a file it takes it for a failing disk and
 * shuts itself down. Refusing new messages first keeps the handles for the deliveries of those already accepted.
 */
@ApplicationScoped
public class FileHandles {

    @Inject
    @ConfigProperty(name = "sluice.storage.max-file-handle-usage", defaultValue = "80")
    double maxFileHandleUsagePercent;

    private Room room;

    @PostConstruct
    void init() {
        Optional<UnixOperatingSystemMXBean> os = unix(ManagementFactory.getOperatingSystemMXBean());
        room = new Room(maxFileHandleUsagePercent, () -> os.map(FileHandles::usage), NoRoom::inFileHandles);
    }

    /** Throws {@link NoRoom} while more of the process's file handles are open than allowed. */
    public void requireRoom() {
        room.require();
    }

    /** Only Unix-like systems tell a process its open and allowed handles; elsewhere there is always room. */
    private static Optional<UnixOperatingSystemMXBean> unix(OperatingSystemMXBean os) {
        return os instanceof UnixOperatingSystemMXBean unix ? Optional.of(unix) : Optional.empty();
    }

    private static Room.Usage usage(UnixOperatingSystemMXBean os) {
        return new Room.Usage(os.getOpenFileDescriptorCount(), os.getMaxFileDescriptorCount());
    }
}
