package dev.sluice.messages.control;

import java.util.List;
import java.util.Map;

/**
 * The filters of QStash's bulk calls: each parameter may repeat (any of the values), different parameters all
 * apply. Dates are epoch milliseconds, inclusive.
 */
public record MessageFilter(List<String> flowControlKeys, List<String> urls, List<String> labels, Long fromDate,
                            Long toDate, List<String> messageIds, List<Integer> responseStatuses,
                            List<String> queueNames, List<String> topicNames, List<String> scheduleIds) {

    public MessageFilter(List<String> flowControlKeys, List<String> urls, List<String> labels, Long fromDate,
                         Long toDate) {
        this(flowControlKeys, urls, labels, fromDate, toDate, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public static MessageFilter inQueues(List<String> queueNames) {
        return new MessageFilter(List.of(), List.of(), List.of(), null, null)
                .withGroups(queueNames, List.of(), List.of());
    }

    /** This filter, also restricted to these queues, URL groups and schedules (each: empty = any). */
    public MessageFilter withGroups(List<String> queues, List<String> topics, List<String> schedules) {
        return new MessageFilter(flowControlKeys, urls, labels, fromDate, toDate, messageIds, responseStatuses,
                queues, topics, schedules);
    }

    public void appendTo(StringBuilder jpql, Map<String, Object> parameters) {
        in(jpql, parameters, "m.id", "messageIds", messageIds);
        in(jpql, parameters, "m.responseStatus", "statuses", responseStatuses);
        in(jpql, parameters, "m.queueName", "queueNames", queueNames);
        in(jpql, parameters, "m.topicName", "topicNames", topicNames);
        in(jpql, parameters, "m.scheduleId", "scheduleIds", scheduleIds);
        in(jpql, parameters, "m.flowKey", "keys", flowControlKeys);
        in(jpql, parameters, "m.destination", "urls", urls);
        // labels are stored comma-joined ("a,b"): match whole labels only, so "invoice" does not match "invoice-2024"
        for (int i = 0; i < labels.size(); i++) {
            jpql.append(i == 0 ? " AND (" : " OR ")
                    .append("CONCAT(CONCAT(',', m.labels), ',') LIKE :label").append(i).append(" ESCAPE '!'");
            parameters.put("label" + i, "%," + likeLiteral(labels.get(i)) + ",%");
        }
        if (!labels.isEmpty()) {
            jpql.append(")");
        }
        if (fromDate != null) {
            jpql.append(" AND m.createdAt >= :fromDate");
            parameters.put("fromDate", fromDate);
        }
        if (toDate != null) {
            jpql.append(" AND m.createdAt <= :toDate");
            parameters.put("toDate", toDate);
        }
    }

    /** Appends {@code AND field IN :name} unless there are no values (= no restriction). */
    public static void in(StringBuilder jpql, Map<String, Object> parameters, String field, String name,
                          List<?> values) {
        if (!values.isEmpty()) {
            jpql.append(" AND ").append(field).append(" IN :").append(name);
            parameters.put(name, values);
        }
    }

    /** The value as a LIKE pattern matching only itself (escape character {@code !}). */
    static String likeLiteral(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
