package dev.sluice.platform.boundary;

import dev.sluice.platform.control.NoRoom;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class NoRoomMapper implements ExceptionMapper<NoRoom> {

    private static final String RETRY_AFTER_SECONDS = "30";

    @Override
    public Response toResponse(NoRoom e) {
        return Response.fromResponse(ErrorBody.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }
}
