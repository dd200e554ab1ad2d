package dev.sluice.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.utils.VersionLoader;
import org.junit.jupiter.api.Test;

/**
 * The resource adapter's module cannot inherit the application's pom (an aggregator of packaging war is no parent),
 * so both declare {@code artemis.version}: the workers' adapter and the broker Sluice embeds must not drift apart.
 */
class ArtemisVersionTest {

    private static final Pattern VERSION = Pattern.compile("<artemis\\.version>([^<]+)</artemis\\.version>");

    @Test
    void theResourceAdapterUsesTheArtemisVersionOfTheApplication() throws Exception {
        String application = declaredVersion(Path.of("pom.xml"));
        assertEquals(application, declaredVersion(Path.of("broker/resource-adapter/pom.xml")));
        assertEquals(application, VersionLoader.getVersion().getFullVersion(), "the Artemis on the classpath");
    }

    private static String declaredVersion(Path pom) throws Exception {
        Matcher matcher = VERSION.matcher(Files.readString(pom));
        if (!matcher.find()) {
            throw new AssertionError("no artemis.version in " + pom);
        }
        return matcher.group(1);
    }
}
