package dev.sluice.events.control;

import dev.sluice.events.entity.EventId;
import dev.sluice.messages.control.MessageFilter;
import java.util.List;
import java.util.Map;

/** The filters of QStash's logs: each may repeat (any of the values); different filters all apply. */
public record EventFilter(List<String> states, List<String> messageIds, List<String> urls, List<String> labels,
                          List<String> flowControlKeys, Long fromDate, Long toDate, List<String> queueNames,
                          List<String> topicNames, List<String> scheduleIds) {

    void appendTo(StringBuilder jpql, Map<String, Object> parameters) {
        MessageFilter.in(jpql, parameters, "e.state", "states", states);
        MessageFilter.in(jpql, parameters, "e.messageId", "messageIds", messageIds);
        MessageFilter.in(jpql, parameters, "e.url", "urls", urls);
        MessageFilter.in(jpql, parameters, "e.flowKey", "keys", flowControlKeys);
        MessageFilter.in(jpql, parameters, "e.queueName", "queueNames", queueNames);
        MessageFilter.in(jpql, parameters, "e.topicName", "topicNames", topicNames);
        MessageFilter.in(jpql, parameters, "e.scheduleId", "scheduleIds", scheduleIds);
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
            jpql.append(" AND e.id >= :fromId");
            parameters.put("fromId", EventId.leastAt(fromDate));
        }
        if (toDate != null) {
            jpql.append(" AND e.id < :afterToId");
            parameters.put("afterToId", EventId.leastAfter(toDate));
        }
    }
}
