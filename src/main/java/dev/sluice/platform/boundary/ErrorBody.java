package dev.sluice.platform.boundary;

import dev.sluice.platform.entity.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The error shape of every failed /v2 call: {@code {"error": "..."}}. */
public final class ErrorBody {

    private ErrorBody() {
    }

    public static Response response(Response.StatusType status, String message) {
        String json = Json.createObjectBuilder().add("error", message == null ? status.getReasonPhrase() : message)
                .build().toString();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(json).build();
    }
}
