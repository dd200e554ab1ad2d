package dev.sluice.messages.entity;

import dev.sluice.platform.entity.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Headers (name -> values) as stored in a JSON column and returned by the API. */
public final class HeaderMap {

    private HeaderMap() {
    }

    public static String toJson(Map<String, List<String>> headers) {
        return toJsonObject(headers).toString();
    }

    public static JsonObject toJsonObject(Map<String, List<String>> headers) {
        JsonObjectBuilder object = Json.createObjectBuilder();
        headers.forEach((name, values) -> {
            JsonArrayBuilder array = Json.createArrayBuilder();
            values.forEach(array::add);
            object.add(name, array);
        });
        return object.build();
    }

    public static Map<String, List<String>> fromJson(String json) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return headers;
        }
        try (var reader = Json.createReader(new StringReader(json))) {
            reader.readObject().forEach((name, values) -> headers.put(name,
                    values.asJsonArray().getValuesAs(JsonString.class).stream().map(JsonString::getString).toList()));
        }
        return headers;
    }
}
