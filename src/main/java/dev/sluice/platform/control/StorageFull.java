package dev.sluice.platform.control;

import jakarta.ejb.ApplicationException;
import java.util.Locale;

/** The disk holding Sluice's data is nearly full: new messages are refused until there is room again. */
@ApplicationException(rollback = true)
public class StorageFull extends RuntimeException {

    public StorageFull(double percentUsed, double maxPercentUsed) {
        super(String.format(Locale.ROOT, "storage nearly full: the data directory's disk is %.1f%% used (at most "
                + "%.0f%% is allowed, sluice.storage.max-disk-usage); no message was accepted, try again later",
                percentUsed, maxPercentUsed));
    }
}
