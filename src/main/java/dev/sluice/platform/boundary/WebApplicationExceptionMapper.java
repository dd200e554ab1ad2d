package dev.sluice.platform.boundary;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Keeps JAX-RS' own errors (404 for unknown paths, 405, 415 ...) in the {"error": ...} shape. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        return ErrorBody.response(original.getStatusInfo(), e.getMessage());
    }
}
