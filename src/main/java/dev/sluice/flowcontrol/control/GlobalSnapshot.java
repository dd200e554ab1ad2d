package dev.sluice.flowcontrol.control;

/** The server-wide cap on deliveries in flight and how many are in flight now. */
public record GlobalSnapshot(int parallelismMax, int parallelismCount) {
}
