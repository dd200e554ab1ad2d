package dev.sluice.platform.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class UnexpectedErrorMapperTest {

    @Test
    void anUnexpectedErrorIsA500InTheErrorShapeNamingItsKind() {
        Response response = new UnexpectedErrorMapper().toResponse(new IllegalStateException("committer gone"));

        assertEquals(500, response.getStatus());
        assertEquals(MediaType.APPLICATION_JSON_TYPE, response.getMediaType());
        JsonObject body = Json.createReader(new StringReader((String) response.getEntity())).readObject();
        assertEquals("internal error (IllegalStateException); the server log has the details",
                body.getString("error"));
    }
}
