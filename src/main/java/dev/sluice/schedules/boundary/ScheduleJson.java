package dev.sluice.schedules.boundary;

import dev.sluice.messages.boundary.MessageJson;
import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Redaction;
import dev.sluice.platform.entity.HumanDuration;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.publish.entity.RequestHeaders;
import dev.sluice.schedules.entity.Schedule;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonObjectBuilder;

/** A schedule as the SDK's {@code Schedule} type shows it; redacted fields as in messages. */
final class ScheduleJson {

    private ScheduleJson() {
    }

    static JsonObjectBuilder of(Schedule schedule, MessageDraft draft) {
        Redaction redaction = draft.redaction();
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("scheduleId", schedule.getId())
                .add("cron", schedule.getCron())
                .add("createdAt", schedule.getCreatedAt())
                .add("destination", schedule.getDestination())
                .add("method", draft.method())
                .add("header", HeaderMap.toJsonObject(redaction.headers(draft.forwardedHeaders())))
                .add("retries", draft.maxRetries())
                .add("isPaused", schedule.isPaused())
                .add("nextScheduleTime", schedule.getNextScheduleTime());
        MessageJson.shownBody(json, redaction, draft.body());
        new RequestHeaders(HeaderMap.fromJson(schedule.getHeaders())).first("Upstash-Delay").ifPresent(delay ->
                json.add("delay", HumanDuration.parse(delay, "Upstash-Delay").toSeconds()));
        if (schedule.getLastScheduleTime() != null) {
            json.add("lastScheduleTime", schedule.getLastScheduleTime());
        }
        MessageJson.optional(json, "callback", draft.callback());
        MessageJson.optional(json, "failureCallback", draft.failureCallback());
        MessageJson.optional(json, "callerIp", schedule.getCallerIp());
        MessageJson.optional(json, "queueName", draft.queueName());
        MessageJson.optional(json, "retryDelayExpression", draft.retryDelay() == null ? null : draft.retryDelay().text());
        if (draft.flowKey() != null) {
            MessageJson.flowControl(json, draft.flowKey(), draft.flowConfig().parallelism(),
                    draft.flowConfig().rate(), draft.flowConfig().period().seconds());
        }
        MessageJson.labels(json, draft.labels());
        return json;
    }
}
