package dev.sluice.platform.control;

import jakarta.ejb.Singleton;
import jakarta.jms.JMSConnectionFactoryDefinition;

/**
 * The JMS connection factory of the Artemis resource adapter (deployed as artemis.rar). Its connections join JTA
 * transactions, so a database write and a broker send commit together.
 */
@Singleton
@JMSConnectionFactoryDefinition(
        name = Messaging.CONNECTION_FACTORY,
        resourceAdapter = "artemis",
        interfaceName = "jakarta.jms.ConnectionFactory",
        user = "${MPCONFIG=sluice.broker.user}",
        password = "${MPCONFIG=sluice.broker.password}",
        minPoolSize = 2,
        maxPoolSize = 64)
public class Messaging {

    public static final String CONNECTION_FACTORY = "java:app/jms/sluice";
}
