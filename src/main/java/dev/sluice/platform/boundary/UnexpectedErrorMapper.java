package dev.sluice.platform.boundary;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What no other mapper expects: logged with its stack trace, answered as a {@code 500} in the {"error": ...} shape
 * rather than the container's HTML error page. (Wrapped in an {@code EJBException}, the cause reaches it through
 * Jersey's EJB exception mapper, which asks it twice, so such an error is logged twice.)
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        LOG.log(Level.SEVERE, "Unexpected error while serving a request", e);
        return ErrorBody.response(Response.Status.INTERNAL_SERVER_ERROR,
                "internal error (" + e.getClass().getSimpleName() + "); the server log has the details");
    }
}
