package dev.sluice.platform.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.platform.entity.InvalidInput;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseHousekeepingTest {

    @TempDir
    Path dir;

    @Test
    void aFillRateOutsideOneToNinetyNineFailsTheStartNamingTheSetting() {
        for (int rate : new int[] {0, 100}) {
            DatabaseHousekeeping housekeeping = housekeeping("jdbc:postgresql://127.0.0.1/sluice", "1s", rate);

            InvalidInput refused = assertThrows(InvalidInput.class, housekeeping::start);
            assertTrue(refused.getMessage().contains(DatabaseHousekeeping.FILL_RATE_SETTING), refused.getMessage());
        }
    }

    @Test
    void aMalformedIntervalFailsTheStartNamingTheSetting() {
        DatabaseHousekeeping housekeeping = housekeeping("jdbc:postgresql://127.0.0.1/sluice", "often", 50);

        InvalidInput refused = assertThrows(InvalidInput.class, housekeeping::start);
        assertTrue(refused.getMessage().contains(DatabaseHousekeeping.INTERVAL_SETTING), refused.getMessage());
    }

    /** No timer and no gauges: the bean has neither here, and would fail on using them. */
    @Test
    void postgresqlAndAnIntervalOfZeroStartNothing() {
        assertDoesNotThrow(housekeeping("jdbc:postgresql://127.0.0.1/sluice", "1s", 50)::start);
        assertDoesNotThrow(housekeeping("jdbc:h2:file:" + dir.resolve("db"), "0", 50)::start);
    }

    @Test
    void onlyAnH2DatabaseInAFileOfThisProcessIsCompacted() {
        assertTrue(DatabaseHousekeeping.embeddedH2("jdbc:h2:file:/data/db/sluice;WRITE_DELAY=0"));
        assertTrue(DatabaseHousekeeping.embeddedH2("jdbc:h2:./data/sluice"));
        assertFalse(DatabaseHousekeeping.embeddedH2("jdbc:h2:mem:sluice"));
        assertFalse(DatabaseHousekeeping.embeddedH2("jdbc:h2:tcp://db:9092/sluice"));
        assertFalse(DatabaseHousekeeping.embeddedH2("jdbc:h2:file:/data/sluice;auto_server=true"));
        assertFalse(DatabaseHousekeeping.embeddedH2("jdbc:postgresql://127.0.0.1:5432/sluice"));
    }

    @Test
    void aPassOverADatabaseThatIsNotThereCreatesNoneAndDoesNotThrow() {
        Path database = dir.resolve("gone");
        DatabaseHousekeeping housekeeping = housekeeping("jdbc:h2:file:" + database, "1s", 50);

        assertDoesNotThrow(housekeeping::pass);
        assertDoesNotThrow(housekeeping::pass);
        assertFalse(Files.exists(dir.resolve("gone.mv.db")), "the pass must not create the database");
    }

    private static DatabaseHousekeeping housekeeping(String url, String interval, int fillRate) {
        DatabaseHousekeeping housekeeping = new DatabaseHousekeeping();
        housekeeping.url = url;
        housekeeping.user = "sa";
        housekeeping.password = "";
        housekeeping.interval = interval;
        housekeeping.fillRateTarget = fillRate;
        return housekeeping;
    }
}
