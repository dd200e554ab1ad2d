package dev.sluice.signing.boundary;

import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.signing.control.Keychain;
import dev.sluice.signing.entity.SigningKeys;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /v2/keys}: the signing keys receivers verify {@code Upstash-Signature} with.
 * {@code POST /v2/keys/rotate}: next becomes current, a new next is generated; answers the new pair.
 */
@Path("keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {

    @Inject
    Keychain keychain;

    @GET
    public String keys() {
        return json(keychain.keys());
    }

    @POST
    @Path("rotate")
    public String rotate() {
        if (keychain.fromConfiguration()) {
            throw new InvalidInput("signing keys come from configuration (SLUICE_CURRENT_SIGNING_KEY / "
                    + "SLUICE_NEXT_SIGNING_KEY); rotate them there: set the next key as current, a new one as next,"
                    + " and restart");
        }
        return json(keychain.rotate());
    }

    private static String json(SigningKeys keys) {
        return Json.createObjectBuilder()
                .add("current", keys.current())
                .add("next", keys.next())
                .build().toString();
    }
}
