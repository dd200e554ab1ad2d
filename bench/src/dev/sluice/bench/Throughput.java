package dev.sluice.bench;

/** One measured throughput run of one system in one variant. */
record Throughput(String system, Variant variant, double publishesPerSecond, double deliveriesPerSecond,
                  double drainPerSecond, double cores, double machineCores, double maxHeapBytes, long accepted,
                  long delivered, Series deliveriesOverTime, String note) {

    static Throughput failed(String system, Variant variant, String why) {
        return new Throughput(system, variant, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                0, 0, null, why);
    }

    boolean ok() { return !Double.isNaN(deliveriesPerSecond); }
}
