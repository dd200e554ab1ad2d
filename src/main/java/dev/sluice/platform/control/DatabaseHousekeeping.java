package dev.sluice.platform.control;

import dev.sluice.platform.entity.HumanDuration;
import dev.sluice.platform.entity.InvalidInput;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Keeps the embedded H2 database's file compact ({@link DatabaseFile}): every {@code sluice.db.compaction-interval},
 * while less than {@code sluice.db.compaction-fill-rate} percent of its chunks is current, one small compaction. Does
 * nothing with PostgreSQL. The file's size and fill rate are gauges.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatabaseHousekeeping {

    static final String INTERVAL_SETTING = "sluice.db.compaction-interval";
    static final String FILL_RATE_SETTING = "sluice.db.compaction-fill-rate";
    /** the current bytes of the chunks one pass writes again, at most: commits wait while it runs */
    static final int PASS_BYTES = 1 << 20;
    private static final List<String> NOT_A_FILE_OF_THIS_PROCESS = List.of("jdbc:h2:mem:", "jdbc:h2:tcp:",
            "jdbc:h2:ssl:");
    private static final Logger LOG = Logger.getLogger(DatabaseHousekeeping.class.getName());

    @Inject
    @ConfigProperty(name = "sluice.db.url")
    String url;

    @Inject
    @ConfigProperty(name = "sluice.db.user")
    String user;

    @Inject
    @ConfigProperty(name = "sluice.db.password")
    String password;

    @Inject
    @ConfigProperty(name = INTERVAL_SETTING, defaultValue = "1s")
    String interval;

    @Inject
    @ConfigProperty(name = FILL_RATE_SETTING, defaultValue = "50")
    int fillRateTarget;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Resource
    TimerService timerService;

    private final AtomicBoolean passing = new AtomicBoolean();
    private volatile boolean failing;
    private volatile long sizeBytes;
    private volatile int fillRate;

    /** A malformed setting fails the deployment, naming the setting. */
    @PostConstruct
    void start() {
        long every = HumanDuration.parse(interval, INTERVAL_SETTING).toMillis();
        if (fillRateTarget < 1 || fillRateTarget > 99) {
            throw new InvalidInput(FILL_RATE_SETTING + " must be a percentage from 1 to 99, was " + fillRateTarget);
        }
        if (!embeddedH2(url) || every == 0) {
            return;
        }
        registry.gauge(Metadata.builder().withName("sluice.database.file.size").withUnit(MetricUnits.BYTES)
                .withDescription("size of the embedded H2 database's file").build(), this, h -> h.sizeBytes);
        // not MetricUnits.PERCENT: Payara would name it a ratio and export the percentage unconverted
        registry.gauge(Metadata.builder().withName("sluice.database.file.fill.ratio")
                .withDescription("part (0 to 1) of the embedded H2 database's chunks that is current").build(),
                this, h -> h.fillRate / 100.0);
        timerService.createIntervalTimer(every, every, new TimerConfig(null, false));
    }

    /** An H2 database in a file this process opens; not one in memory, not a server's. */
    static boolean embeddedH2(String url) {
        return url.startsWith("jdbc:h2:") && NOT_A_FILE_OF_THIS_PROCESS.stream().noneMatch(url::startsWith)
                && !url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }

    @Timeout
    void pass() {
        if (!passing.compareAndSet(false, true)) {
            return;
        }
        try {
            DatabaseFile.use(url, user, password, file -> {
                file.compact(fillRateTarget, PASS_BYTES);
                fillRate = file.fillRate();
                sizeBytes = file.sizeBytes();
                return null;
            });
            failing = false;
        } catch (SQLException | RuntimeException | LinkageError e) {
            // logged once per run of failures: the next pass tries again
            if (!failing) {
                LOG.log(Level.WARNING, "could not compact the database file; trying again every " + interval, e);
            }
            failing = true;
        } finally {
            passing.set(false);
        }
    }
}
