package dev.sluice.dlq.boundary;

import dev.sluice.messages.control.MessageFilter;
import dev.sluice.platform.entity.InvalidInput;
import jakarta.ws.rs.QueryParam;
import java.util.Arrays;
import java.util.List;

/**
 * The query of QStash's DLQ calls: explicit {@code dlqIds}, or filters (each may repeat; none = every entry), plus
 * {@code count} (at most 100) and {@code cursor}.
 */
public class DlqQuery {

    static final int MAX_COUNT = 100;

    @QueryParam("dlqIds")
    List<String> dlqIds;
    @QueryParam("cursor")
    String cursor;
    @QueryParam("count")
    String count;
    @QueryParam("messageId")
    List<String> messageIds;
    @QueryParam("url")
    List<String> urls;
    @QueryParam("label")
    List<String> labels;
    @QueryParam("flowControlKey")
    List<String> flowControlKeys;
    @QueryParam("responseStatus")
    List<String> responseStatuses;
    @QueryParam("fromDate")
    String fromDate;
    @QueryParam("toDate")
    String toDate;

    List<String> ids() {
        return split(dlqIds);
    }

    int offset() {
        return number("cursor", cursor, 0);
    }

    int size() {
        return Math.max(1, Math.min(MAX_COUNT, number("count", count, MAX_COUNT)));
    }

    MessageFilter filter() {
        return new MessageFilter(split(flowControlKeys), split(urls), split(labels), epochMillis("fromDate", fromDate),
                epochMillis("toDate", toDate), split(messageIds),
                split(responseStatuses).stream().map(status -> number("responseStatus", status, 0)).toList());
    }

    private static List<String> split(List<String> values) {
        return values == null ? List.of() : values.stream().flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    private static Long epochMillis(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInput(name + ": expected epoch milliseconds, got \"" + value + "\"");
        }
    }

    private static int number(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number >= 0) {
                return (int) Math.min(Integer.MAX_VALUE, number);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidInput(name + ": expected a non-negative integer, got \"" + value + "\"");
    }
}
