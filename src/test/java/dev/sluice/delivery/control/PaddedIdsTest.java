package dev.sluice.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PaddedIdsTest {

    @Test
    void idListsArePaddedWithTheirLastIdToTheNextPowerOfTwo() {
        assertEquals(List.of("a"), PaddedIds.of(List.of("a")));
        assertEquals(List.of("a", "b"), PaddedIds.of(List.of("a", "b")));
        assertEquals(List.of("a", "b", "c", "c"), PaddedIds.of(List.of("a", "b", "c")));
        assertEquals(List.of("a", "b", "c", "d", "e", "e", "e", "e"),
                PaddedIds.of(List.of("a", "b", "c", "d", "e")));
    }

    @Test
    void everyGroupSizeUpToTheMaximumGivesOneOfNineLengths() {
        List<Integer> lengths = IntStream.rangeClosed(1, 256)
                .map(size -> PaddedIds.of(IntStream.range(0, size).mapToObj(i -> "m" + i).toList()).size())
                .distinct().boxed().toList();
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256), lengths);
    }
}
