package dev.sluice.platform.control;

import java.io.File;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.apache.activemq.artemis.core.io.IOCriticalErrorListener;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.core.paging.cursor.PageCursorProvider;
import org.apache.activemq.artemis.core.paging.cursor.PageSubscription;
import org.apache.activemq.artemis.core.paging.cursor.impl.PageCursorProviderImpl;
import org.apache.activemq.artemis.core.paging.impl.PagingStoreFactoryNIO;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.utils.ExecutorFactory;
import org.apache.activemq.artemis.utils.actors.ArtemisExecutor;
import org.apache.activemq.artemis.utils.collections.ConcurrentLongHashMap;

/**
 * Artemis' file paging stores, one per address, except that each address's map of page cursors (one per queue of
 * the address) is sized for the one queue a key's address has.
 * <p>
 * Artemis sizes that map for 256 queues (16 sections of 32 slots: about 7.7 KB of heap) and creates one for every
 * address, paged or not. With a holding queue per flow-control key it was the largest single cost of a key: 40,000
 * keys held 325 MB of heap less with the small map. The map is Artemis' own class, so it behaves the same and grows
 * if an address ever gets more queues. Artemis offers no setting for it, hence the reflection: if a later Artemis
 * renames the field, or a later JDK refuses to write a final field, the broker keeps its default and logs it, and
 * {@code KeyPagingStoresTest} fails.
 */
final class KeyPagingStores extends PagingStoreFactoryNIO {

    private static final Logger LOG = Logger.getLogger(KeyPagingStores.class.getName());
    private static final int QUEUES_PER_ADDRESS = 2;
    private static final Field CURSORS = cursorsField();

    @SuppressWarnings("java:S107") // Artemis' constructor
    KeyPagingStores(StorageManager storageManager, File directory, long syncTimeout,
                    ScheduledExecutorService scheduledExecutor, ExecutorFactory executorFactory,
                    boolean syncNonTransactional, IOCriticalErrorListener criticalErrorListener,
                    Supplier<Boolean> purgePageFolders) {
        super(storageManager, directory, syncTimeout, scheduledExecutor, executorFactory, syncNonTransactional,
                criticalErrorListener, purgePageFolders);
    }

    @Override
    public PageCursorProvider newCursorProvider(PagingStore store, StorageManager storageManager,
                                                AddressSettings addressSettings, ArtemisExecutor executor) {
        PageCursorProvider provider = super.newCursorProvider(store, storageManager, addressSettings, executor);
        if (CURSORS != null && provider.getClass() == PageCursorProviderImpl.class) {
            resize(CURSORS, provider);
        }
        return provider;
    }

    /** The field, if it is where Sluice expects it and can be written (tried on a provider of no store). */
    private static Field cursorsField() {
        try {
            Field field = PageCursorProviderImpl.class.getDeclaredField("activeCursors");
            if (field.getType() == ConcurrentLongHashMap.class) {
                field.setAccessible(true);
                resize(field, new PageCursorProviderImpl(null, null));
                return field;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // logged below
        }
        LOG.warning("Cannot size Artemis' page cursor maps (no writable field 'activeCursors'): each flow-control key"
                + " costs about 7.7 KB of heap more than it would");
        return null;
    }

    private static void resize(Field cursors, PageCursorProvider provider) {
        try {
            cursors.set(provider, new ConcurrentLongHashMap<PageSubscription>(QUEUES_PER_ADDRESS, 1));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot size the page cursor map", e);
        }
    }
}
