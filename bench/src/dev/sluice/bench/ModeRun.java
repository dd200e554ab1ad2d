package dev.sluice.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one persistence mode's run produced (any part may be missing; {@code problems} says why). */
final class ModeRun {
    final String mode;
    final String description;
    final Map<String, String> problems = new LinkedHashMap<>();
    long bootMillis = -1;
    /** Sluice's maximum heap ({@code -Xmx}), in bytes. */
    long maxHeapBytes;
    List<Throughput> throughput;
    LagScenario.Result lag;
    PrecisionScenario.Result precision;
    List<ScaleScenario.Part> scale;

    ModeRun(String mode, String description) {
        this.mode = mode;
        this.description = description;
    }

    Throughput throughput(Variant v) {
        return throughput == null ? null : throughput.stream().filter(t -> t.variant() == v).findFirst().orElse(null);
    }
}
