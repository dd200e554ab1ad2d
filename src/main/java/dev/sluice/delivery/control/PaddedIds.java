package dev.sluice.delivery.control;

import java.util.ArrayList;
import java.util.List;

/**
 * Message ids for an IN list, the last one repeated up to the next power of two: the list then has one of a few
 * lengths, so the database finds its statement already parsed instead of parsing one per group size.
 */
final class PaddedIds {

    private PaddedIds() {
    }

    static List<String> of(List<String> ids) {
        int length = Integer.highestOneBit(ids.size());
        if (length == ids.size()) {
            return ids;
        }
        List<String> padded = new ArrayList<>(length * 2);
        padded.addAll(ids);
        while (padded.size() < length * 2) {
            padded.add(ids.get(ids.size() - 1));
        }
        return padded;
    }
}
