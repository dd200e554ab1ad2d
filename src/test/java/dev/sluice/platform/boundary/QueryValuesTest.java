package dev.sluice.platform.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.platform.entity.InvalidInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryValuesTest {

    @Test
    void repeatedAndCommaSeparatedValuesAreAllRead() {
        assertEquals(List.of("a", "b", "c"), QueryValues.all(List.of("a,b", " c ", "")));
        assertEquals(List.of(), QueryValues.all(null));
    }

    @Test
    void aPageStartsAtTheCursorOrAtZero() {
        assertEquals(0, QueryValues.offset(null));
        assertEquals(200, QueryValues.offset("200"));
        assertEquals(Integer.MAX_VALUE, QueryValues.offset("99999999999"));
    }

    @Test
    void aPageHoldsTheCountWithinOneAndTheMaximum() {
        assertEquals(100, QueryValues.pageSize(null, 100, 1000));
        assertEquals(7, QueryValues.pageSize("7", 100, 1000));
        assertEquals(1000, QueryValues.pageSize("5000", 100, 1000));
        assertEquals(1, QueryValues.pageSize("0", 100, 1000));
    }

    @Test
    void aBadNumberIsRejectedWithItsName() {
        InvalidInput error = assertThrows(InvalidInput.class, () -> QueryValues.pageSize("-3", 100, 1000));
        assertEquals("count: expected a non-negative integer, got \"-3\"", error.getMessage());
        assertThrows(InvalidInput.class, () -> QueryValues.offset("abc"));
    }
}
