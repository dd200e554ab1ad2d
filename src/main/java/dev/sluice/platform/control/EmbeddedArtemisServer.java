package dev.sluice.platform.control;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.paging.PagingStoreFactory;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;

/**
 * The embedded Artemis server: Artemis' own, except that its paging stores are {@link KeyPagingStores}, which cost
 * a few KB less heap per flow-control key.
 */
final class EmbeddedArtemisServer extends ActiveMQServerImpl {

    EmbeddedArtemisServer(Configuration configuration) {
        super(configuration, new ActiveMQJAASSecurityManager());
    }

    @Override
    protected PagingStoreFactory getPagingStoreFactory() throws Exception {
        Configuration config = getConfiguration();
        if (config.isUsingDatabasePersistence()) {
            return super.getPagingStoreFactory(); // not Sluice's setup: its journal is a file
        }
        return new KeyPagingStores(getStorageManager(), config.getPagingLocation(), config.getPageSyncTimeout(),
                getScheduledPool(), pageExecutorFactory, config.isJournalSyncNonTransactional(),
                ioCriticalErrorListener, config::isPurgePageFolders);
    }
}
