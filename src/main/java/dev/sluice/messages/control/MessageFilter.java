package dev.sluice.messages.control;

import java.util.List;
import java.util.Map;

/**
 * The filters of QStash's bulk calls: each parameter may repeat (any of the values), different parameters all
 * apply. Dates are epoch milliseconds, inclusive.
 */
public record MessageFilter(List<String> flowControlKeys, List<String> urls, List<String> labels, Long fromDate,
                            Long toDate, List<String> messageIds, List<Integer> responseStatuses) {

    public MessageFilter(List<String> flowControlKeys, List<String> urls, List<String> labels, Long fromDate,
                         Long toDate) {
        this(flowControlKeys, urls, labels, fromDate, toDate, List.of(), List.of());
    }

    public void appendTo(StringBuilder jpql, Map<String, Object> parameters) {
        if (!messageIds.isEmpty()) {
            jpql.append(" AND m.id IN :messageIds");
            parameters.put("messageIds", messageIds);
        }
        if (!responseStatuses.isEmpty()) {
            jpql.append(" AND m.responseStatus IN :statuses");
            parameters.put("statuses", responseStatuses);
        }
        if (!flowControlKeys.isEmpty()) {
            jpql.append(" AND m.flowKey IN :keys");
            parameters.put("keys", flowControlKeys);
        }
        if (!urls.isEmpty()) {
            jpql.append(" AND m.destination IN :urls");
            parameters.put("urls", urls);
        }
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

    /** The value as a LIKE pattern matching only itself (escape character {@code !}). */
    static String likeLiteral(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
