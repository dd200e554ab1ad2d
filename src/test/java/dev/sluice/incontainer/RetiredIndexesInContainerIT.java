package dev.sluice.incontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.messages.control.RetiredIndexes;
import jakarta.inject.Inject;
import java.io.File;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The message table's indexes in the real H2 database: the flow-key index of earlier versions is dropped. */
@ExtendWith(ArquillianExtension.class)
class RetiredIndexesInContainerIT {

    private static final Set<String> KEPT = Set.of("SLUICE_MESSAGE_STATE", "SLUICE_MESSAGE_DLQ",
            "SLUICE_MESSAGE_QUEUE");

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("sluice.war")))
                .addClasses(RetiredIndexesInContainerIT.class, StoredRows.class);
    }

    @Inject
    RetiredIndexes retired;

    @Inject
    StoredRows rows;

    @Test
    void theFlowKeyIndexOfEarlierVersionsIsDroppedAndTheOthersKept() throws Exception {
        Set<String> made = rows.messageIndexes();
        assertTrue(made.containsAll(KEPT), "the schema this version makes: " + made);
        assertFalse(made.contains("SLUICE_MESSAGE_KEY"), "this version makes no flow-key index: " + made);

        rows.messageIndex("SLUICE_MESSAGE_KEY", "FLOW_KEY");
        assertTrue(rows.messageIndexes().contains("SLUICE_MESSAGE_KEY"));
        retired.drop();

        Set<String> left = rows.messageIndexes();
        assertFalse(left.contains("SLUICE_MESSAGE_KEY"), "dropped: " + left);
        assertTrue(left.containsAll(KEPT), "the others kept: " + left);
        retired.drop();
        assertEquals(left, rows.messageIndexes(), "nothing left to drop is no failure and changes nothing");
    }
}
