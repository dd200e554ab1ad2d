package dev.sluice.platform.boundary;

import dev.sluice.platform.control.StorageFull;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class StorageFullMapper implements ExceptionMapper<StorageFull> {

    private static final String RETRY_AFTER_SECONDS = "30";

    @Override
    public Response toResponse(StorageFull e) {
        return Response.fromResponse(ErrorBody.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }
}
