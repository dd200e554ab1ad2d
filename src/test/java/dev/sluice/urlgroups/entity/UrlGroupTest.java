package dev.sluice.urlgroups.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlGroupTest {

    @Test
    void addingAnEndpointWithAKnownUrlOrNameReplacesIt() {
        UrlGroup group = new UrlGroup("g", 1);
        group.add(List.of(new UrlGroup.Endpoint("one", "https://a"), new UrlGroup.Endpoint(null, "https://b")), 2);
        group.add(List.of(new UrlGroup.Endpoint("uno", "https://a"), new UrlGroup.Endpoint("one", "https://c")), 3);

        assertEquals(List.of(new UrlGroup.Endpoint(null, "https://b"), new UrlGroup.Endpoint("uno", "https://a"),
                new UrlGroup.Endpoint("one", "https://c")), group.endpoints());
        assertEquals(3, group.getUpdatedAt());
        assertEquals(1, group.getCreatedAt());
    }

    @Test
    void removesByNameOrUrl() {
        UrlGroup group = new UrlGroup("g", 1);
        group.add(List.of(new UrlGroup.Endpoint("one", "https://a"), new UrlGroup.Endpoint(null, "https://b"),
                new UrlGroup.Endpoint("three", "https://c")), 2);

        assertEquals(2, group.remove(List.of(new UrlGroup.Endpoint("one", null),
                new UrlGroup.Endpoint(null, "https://b")), 3));
        assertEquals(0, group.remove(List.of(new UrlGroup.Endpoint("three", "https://other")), 4));
        assertEquals(List.of(new UrlGroup.Endpoint("three", "https://c")), group.endpoints());
    }
}
