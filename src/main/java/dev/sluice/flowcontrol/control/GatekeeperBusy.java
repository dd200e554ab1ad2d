package dev.sluice.flowcontrol.control;

import jakarta.ejb.ApplicationException;

/**
 * The flow-control state could not be read or changed in time: a gatekeeper pass holds it, typically while the
 * broker is unreachable and its client fails over. The caller may try again.
 */
@ApplicationException(rollback = true)
public class GatekeeperBusy extends RuntimeException {

    public GatekeeperBusy(long waitedMillis) {
        super("flow-control state unavailable: the gatekeeper has been busy for " + waitedMillis
                + " ms (is the broker reachable?); try again");
    }
}
