package dev.sluice.platform.boundary;

import dev.sluice.platform.control.ApiToken;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/** Every /v2 call needs {@code Authorization: Bearer <token>} or {@code ?qstash_token=<token>}. */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    ApiToken token;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!token.accepts(presented(request))) {
            request.abortWith(ErrorBody.response(Response.Status.UNAUTHORIZED,
                    "missing or invalid token: send Authorization: Bearer <token>"));
        }
    }

    private static String presented(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).trim();
        }
        return request.getUriInfo().getQueryParameters().getFirst("qstash_token");
    }
}
