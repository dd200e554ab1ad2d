package dev.sluice.platform.boundary;

import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The error shape of every failed /v2 call: {@code {"error": "..."}}. */
public final class ErrorBody {

    /** {@code Json.createX} looks the provider up on every call, scanning the class path: look it up once. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private ErrorBody() {
    }

    public static Response response(Response.StatusType status, String message) {
        String json = JSON.createObjectBuilder().add("error", message == null ? status.getReasonPhrase() : message)
                .build().toString();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(json).build();
    }
}
