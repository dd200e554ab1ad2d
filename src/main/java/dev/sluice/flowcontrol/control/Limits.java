package dev.sluice.flowcontrol.control;

/** A key's limits in words, for the audit trail: "parallelism 3 (pinned), rate 10/60s, paused". */
final class Limits {

    private Limits() {
    }

    static String describe(FlowController engine, String key) {
        return engine.snapshot(key).map(Limits::describe).orElse("unknown key");
    }

    private static String describe(KeySnapshot key) {
        StringBuilder text = new StringBuilder();
        text.append("parallelism ").append(key.parallelismMax() == 0 ? "unlimited" : key.parallelismMax());
        if (key.pinnedParallelism()) {
            text.append(" (pinned)");
        }
        text.append(", rate ").append(key.rateMax() == 0 ? "unlimited"
                : key.rateMax() + "/" + key.ratePeriodSeconds() + "s");
        if (key.pinnedRate()) {
            text.append(" (pinned)");
        }
        if (key.paused()) {
            text.append(", paused");
        }
        return text.toString();
    }
}
