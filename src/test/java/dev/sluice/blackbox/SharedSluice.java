package dev.sluice.blackbox;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One Sluice process for all black-box test classes of a test run (booting costs ~20 s), started on first use and
 * stopped when the JUnit platform closes the root store. Tests that crash or restart Sluice start their own.
 */
public class SharedSluice implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SluiceProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("shared-sluice", key -> new Resource(), Resource.class).sluice;
    }

    static final class Resource implements ExtensionContext.Store.CloseableResource {

        final SluiceProcess sluice;

        Resource() {
            try {
                sluice = SluiceProcess.start("shared", Map.of("SLUICE_GLOBAL_PARALLELISM", "200"));
            } catch (Exception e) {
                throw new IllegalStateException("could not start Sluice", e);
            }
        }

        @Override
        public void close() throws Exception {
            sluice.stop();
        }
    }
}
