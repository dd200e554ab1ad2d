package dev.sluice.platform.control;

import java.lang.reflect.Field;
import org.apache.activemq.artemis.core.paging.cursor.PageCursorProvider;
import org.apache.activemq.artemis.core.paging.cursor.impl.PageCursorProviderImpl;
import org.apache.activemq.artemis.utils.collections.ConcurrentLongHashMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class KeyPagingStoresTest {

    @Test
    void anAddressGetsACursorMapForAFewQueuesInsteadOfArtemisDefaultFor256() throws Exception {
        PageCursorProvider provider = new KeyPagingStores(null, null, 0, null, null, false, null, () -> false)
                .newCursorProvider(null, null, null, null);

        assertSame(PageCursorProviderImpl.class, provider.getClass());
        assertEquals(4, cursors(provider).capacity());
        assertEquals(512, cursors(new PageCursorProviderImpl(null, null)).capacity(), "Artemis' own default");
    }

    private static ConcurrentLongHashMap<?> cursors(PageCursorProvider provider) throws Exception {
        Field field = PageCursorProviderImpl.class.getDeclaredField("activeCursors");
        field.setAccessible(true);
        return (ConcurrentLongHashMap<?>) field.get(provider);
    }
}
