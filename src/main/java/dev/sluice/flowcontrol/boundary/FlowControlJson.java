package dev.sluice.flowcontrol.boundary;

import dev.sluice.flowcontrol.control.BlockedBy;
import dev.sluice.flowcontrol.control.KeySnapshot;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonObject;

/** QStash's FlowControlInfo, plus Sluice's blockedBy, scheduledCount and estimatedDrainSeconds. */
final class FlowControlJson {

    private FlowControlJson() {
    }

    static JsonObject of(KeySnapshot key) {
        return Json.createObjectBuilder()
                .add("flowControlKey", key.key())
                .add("waitListSize", key.waitListSize())
                .add("parallelismMax", key.parallelismMax())
                .add("parallelismCount", key.parallelismCount())
                .add("rateMax", key.rateMax())
                .add("rateCount", key.rateCount())
                .add("ratePeriod", key.ratePeriodSeconds())
                .add("ratePeriodStart", key.ratePeriodStartEpochSeconds())
                .add("isPaused", key.paused())
                .add("isPinnedParallelism", key.pinnedParallelism())
                .add("isPinnedRate", key.pinnedRate())
                .add("blockedBy", reason(key.blockedBy()))
                .add("scheduledCount", key.scheduledCount())
                .add("estimatedDrainSeconds", key.estimatedDrain().toMillis() / 1000.0)
                .build();
    }

    static String reason(BlockedBy blockedBy) {
        return switch (blockedBy) {
            case NONE -> "none";
            case PAUSED -> "paused";
            case NOT_BEFORE -> "notBefore";
            case GLOBAL_PARALLELISM -> "globalParallelism";
            case PARALLELISM -> "parallelism";
            case RATE -> "rate";
            case EMPTY -> "empty";
        };
    }
}
