package dev.sluice.platform.boundary;

import dev.sluice.platform.entity.InvalidInput;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class InvalidInputMapper implements ExceptionMapper<InvalidInput> {

    @Override
    public Response toResponse(InvalidInput e) {
        return ErrorBody.response(Response.Status.BAD_REQUEST, e.getMessage());
    }
}
