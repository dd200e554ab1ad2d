package dev.sluice.urlgroups.entity;

import dev.sluice.platform.entity.PlainName;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * A URL group (QStash's "topic"): a publish to its name is delivered to each of its endpoints as its own message.
 * Times are epoch milliseconds; endpoints are stored as a JSON array.
 */
@Entity
@Table(name = "SLUICE_URL_GROUP")
public class UrlGroup {

    @Id
    @Column(length = PlainName.MAX_LENGTH)
    private String name;

    @Lob
    private String endpoints;

    private long createdAt;
    private long updatedAt;

    protected UrlGroup() {
    }

    public UrlGroup(String name, long now) {
        this.name = name;
        this.endpoints = "[]";
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** One endpoint: a URL and an optional name. */
    public record Endpoint(String name, String url) {

        JsonObjectBuilder json() {
            JsonObjectBuilder json = Json.createObjectBuilder().add("url", url);
            return name == null ? json : json.add("name", name);
        }

        /** Whether a removal request (by name and/or url) means this endpoint. */
        public boolean matches(Endpoint removal) {
            return (removal.name() == null || removal.name().equals(name))
                    && (removal.url() == null || removal.url().equals(url));
        }
    }

    public String getName() { return name; }
    public long getCreatedAt() { return createdAt; }
    public long getUpdatedAt() { return updatedAt; }

    public List<Endpoint> endpoints() {
        List<Endpoint> list = new ArrayList<>();
        try (var reader = Json.createReader(new StringReader(endpoints))) {
            reader.readArray().getValuesAs(JsonObject.class).forEach(object ->
                    list.add(new Endpoint(object.getString("name", null), object.getString("url"))));
        }
        return list;
    }

    /** Adds endpoints; one with the URL (or name) of an existing endpoint replaces it. */
    public void add(List<Endpoint> added, long now) {
        List<Endpoint> list = new ArrayList<>(endpoints());
        for (Endpoint endpoint : added) {
            list.removeIf(existing -> existing.url().equals(endpoint.url())
                    || (endpoint.name() != null && endpoint.name().equals(existing.name())));
            list.add(endpoint);
        }
        store(list, now);
    }

    /** Removes the endpoints matching any removal; returns how many were removed. */
    public int remove(List<Endpoint> removals, long now) {
        List<Endpoint> list = new ArrayList<>(endpoints());
        int before = list.size();
        list.removeIf(existing -> removals.stream().anyMatch(existing::matches));
        store(list, now);
        return before - list.size();
    }

    public JsonArrayBuilder endpointsJson() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        endpoints().forEach(endpoint -> array.add(endpoint.json()));
        return array;
    }

    private void store(List<Endpoint> list, long now) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        list.forEach(endpoint -> array.add(endpoint.json()));
        this.endpoints = array.build().toString();
        this.updatedAt = now;
    }
}
