package dev.sluice.urlgroups.boundary;

import dev.sluice.platform.boundary.ErrorBody;
import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.platform.entity.PlainName;
import dev.sluice.publish.entity.Destination;
import dev.sluice.urlgroups.control.UrlGroupCatalog;
import dev.sluice.urlgroups.entity.UrlGroup;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/** QStash's URL groups ({@code /v2/topics}): endpoints add/remove, list, get, delete. */
@Path("topics")
@Produces(MediaType.APPLICATION_JSON)
public class UrlGroupsResource {

    static final int MAX_ENDPOINT_NAME = 250;

    @Inject
    UrlGroupCatalog groups;

    /** {@code {"endpoints": [{"name"?, "url"}]}}; creates the group if needed. */
    @POST
    @Path("{name}/endpoints")
    @Consumes(MediaType.WILDCARD)
    public String addEndpoints(@PathParam("name") String name, String body) {
        String group = PlainName.check(name, "URL group name");
        List<UrlGroup.Endpoint> endpoints = endpoints(body, true);
        return json(groups.addEndpoints(group, endpoints)).build().toString();
    }

    /** {@code {"endpoints": [{"name"?, "url"?}]}}: each removes the endpoints with that name and/or url. */
    @DELETE
    @Path("{name}/endpoints")
    @Consumes(MediaType.WILDCARD)
    public Response removeEndpoints(@PathParam("name") String name, String body) {
        List<UrlGroup.Endpoint> removals = endpoints(body, false);
        return groups.removeEndpoints(name, removals)
                .map(removed -> Response.ok(Json.createObjectBuilder().add("removed", removed).build().toString())
                        .build())
                .orElseGet(() -> notFound(name));
    }

    @GET
    public String list() {
        var array = Json.createArrayBuilder();
        groups.list().forEach(group -> array.add(json(group)));
        return array.build().toString();
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        return groups.find(name).map(group -> Response.ok(json(group).build().toString()).build())
                .orElseGet(() -> notFound(name));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        return groups.delete(name) ? Response.ok("{}").build() : notFound(name);
    }

    static JsonObjectBuilder json(UrlGroup group) {
        return Json.createObjectBuilder()
                .add("name", group.getName())
                .add("createdAt", group.getCreatedAt())
                .add("updatedAt", group.getUpdatedAt())
                .add("endpoints", group.endpointsJson());
    }

    static Response notFound(String name) {
        return ErrorBody.response(Response.Status.NOT_FOUND, "URL group " + name + " not found");
    }

    /** Parses and checks the endpoints of a request; adding needs a URL each, removing a name or a URL. */
    static List<UrlGroup.Endpoint> endpoints(String body, boolean adding) {
        String shape = "expected {\"endpoints\": [{\"name\": string (optional), \"url\": string}]}";
        JsonArray array;
        try (var reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            JsonValue value = reader.readValue();
            JsonValue endpoints = value.getValueType() == JsonValue.ValueType.OBJECT
                    ? value.asJsonObject().get("endpoints") : null;
            if (endpoints == null || endpoints.getValueType() != JsonValue.ValueType.ARRAY
                    || endpoints.asJsonArray().isEmpty()) {
                throw new InvalidInput(shape);
            }
            array = endpoints.asJsonArray();
        } catch (JsonException e) {
            throw new InvalidInput(shape + ": " + e.getMessage());
        }
        List<UrlGroup.Endpoint> endpoints = new ArrayList<>();
        for (JsonValue entry : array) {
            if (entry.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new InvalidInput(shape);
            }
            JsonObject object = entry.asJsonObject();
            String name = text(object, "name", shape);
            if (name != null && name.length() > MAX_ENDPOINT_NAME) {
                throw new InvalidInput("endpoint names are at most " + MAX_ENDPOINT_NAME + " characters");
            }
            String url = text(object, "url", shape);
            if (url != null) {
                url = new Destination(url).url();
            } else if (adding || name == null) {
                throw new InvalidInput(adding ? "every endpoint needs a url" : "every endpoint needs a name or a url");
            }
            endpoints.add(new UrlGroup.Endpoint(name, url));
        }
        return endpoints;
    }

    private static String text(JsonObject object, String field, String shape) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidInput(shape);
        }
        String text = object.getString(field);
        return text.isEmpty() ? null : text;
    }
}
