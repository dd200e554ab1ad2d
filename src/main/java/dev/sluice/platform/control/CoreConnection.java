package dev.sluice.platform.control;

import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.function.UnaryOperator;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * A broker connection of Sluice's own, outside the resource adapter (core protocol): one started, transacted
 * session, used by one thread at a time. It reconnects by itself; a transaction cut by a reconnect fails to commit.
 */
public final class CoreConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CoreConnection.class.getName());
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ClientSession session;
    private final String user;
    private final String password;
    /** between a failure detected and the reconnect: the session is not closed, but nothing gets through */
    private volatile boolean lost;

    private CoreConnection(ServerLocator locator, ClientSessionFactory factory, ClientSession session, String user,
                           String password) {
        this.locator = locator;
        this.factory = factory;
        this.session = session;
        this.user = user;
        this.password = password;
    }

    /**
     * @param url    the broker's client URL ({@code tcp://host:port}, or {@code vm://0} in the same JVM)
     * @param tuning settings of this connection beyond the common ones
     */
    public static CoreConnection open(String url, String user, String password, UnaryOperator<ServerLocator> tuning)
            throws Exception {
        ServerLocator locator = tuning.apply(ActiveMQClient.createServerLocator(url)
                .setInitialConnectAttempts(60)
                .setRetryInterval(1000)
                .setReconnectAttempts(-1)
                .setBlockOnDurableSend(false));
        ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session = factory.createSession(user, password, false, false, false, false,
                locator.getAckBatchSize());
        session.start();
        CoreConnection connection = new CoreConnection(locator, factory, session, user, password);
        factory.addFailoverListener(event -> connection.connectionChanged(url, event));
        return connection;
    }

    /** Artemis' failover events, on the broker client's threads: a send of a lost connection waits for it. */
    private void connectionChanged(String url, FailoverEventType event) {
        lost = event != FailoverEventType.FAILOVER_COMPLETED;
        if (lost) {
            LOG.warning(() -> "lost the broker connection to " + url + ": publishes are refused and readiness is DOWN"
                    + " until it is back");
        } else {
            LOG.info(() -> "reconnected to the broker at " + url);
        }
    }

    public ClientSession session() {
        return session;
    }

    /** False while the connection is lost and being re-established, as well as once it is closed. */
    public boolean isConnected() {
        return !lost && !session.isClosed() && !factory.isClosed();
    }

    /** Reads every message of the queue without consuming it, on a session of its own. */
    public void browse(String queue, Consumer<ClientMessage> each) throws ActiveMQException {
        // a standalone broker requires a login for every session, the browsing one too
        try (ClientSession browser = factory.createSession(user, password, false, true, true, false,
                locator.getAckBatchSize())) {
            browser.start();
            try (ClientConsumer consumer = browser.createConsumer(SimpleString.of(queue), true)) {
                ClientMessage message;
                while ((message = consumer.receiveImmediate()) != null) {
                    each.accept(message);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (ActiveMQException ignored) {
            // shutting down
        }
        factory.close();
        locator.close();
    }
}
