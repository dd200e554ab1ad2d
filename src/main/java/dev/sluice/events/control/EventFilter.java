package dev.sluice.events.control;

import java.util.List;
import java.util.Map;

/** The filters of QStash's logs: each may repeat (any of the values); different filters all apply. */
public record EventFilter(List<String> states, List<String> messageIds, List<String> urls, List<String> labels,
                          List<String> flowControlKeys, Long fromDate, Long toDate) {

    void appendTo(StringBuilder jpql, Map<String, Object> parameters) {
        in(jpql, parameters, "e.state", "states", states);
        in(jpql, parameters, "e.messageId", "messageIds", messageIds);
        in(jpql, parameters, "e.url", "urls", urls);
        in(jpql, parameters, "e.flowKey", "keys", flowControlKeys);
        for (int i = 0; i < labels.size(); i++) {
            jpql.append(i == 0 ? " AND (" : " OR ")
                    .append("CONCAT(CONCAT(',', e.labels), ',') LIKE :label").append(i).append(" ESCAPE '!'");
            parameters.put("label" + i, "%," + labels.get(i).replace("!", "!!").replace("%", "!%")
                    .replace("_", "!_") + ",%");
        }
        if (!labels.isEmpty()) {
            jpql.append(")");
        }
        if (fromDate != null) {
            jpql.append(" AND e.time >= :fromDate");
            parameters.put("fromDate", fromDate);
        }
        if (toDate != null) {
            jpql.append(" AND e.time <= :toDate");
            parameters.put("toDate", toDate);
        }
    }

    private static void in(StringBuilder jpql, Map<String, Object> parameters, String field, String name,
                           List<String> values) {
        if (!values.isEmpty()) {
            jpql.append(" AND ").append(field).append(" IN :").append(name);
            parameters.put(name, values);
        }
    }
}
