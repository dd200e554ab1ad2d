package dev.sluice.flowcontrol.boundary;

import dev.sluice.flowcontrol.control.GatekeeperBusy;
import dev.sluice.platform.boundary.ErrorBody;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class GatekeeperBusyMapper implements ExceptionMapper<GatekeeperBusy> {

    @Override
    public Response toResponse(GatekeeperBusy e) {
        return ErrorBody.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
