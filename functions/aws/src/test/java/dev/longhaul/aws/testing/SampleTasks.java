package dev.longhaul.aws.testing;

import dev.longhaul.core.task.Task;
import dev.longhaul.core.task.TaskIds;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tasks whose fields exercise storage edge cases: unicode, escapes, nulls, big numbers, nesting. */
public final class SampleTasks {
    private SampleTasks() {
    }

    /** JSON parameters in the form {@code Json.parse} gives back (Long, BigInteger, BigDecimal). */
    public static Map<String, Object> nestedParameters() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("null", null);
        inner.put("list", Arrays.asList(1L, "two", null, true, List.of(), Map.of()));
        inner.put("big", new BigInteger("123456789012345678901234567890"));
        inner.put("decimal", new BigDecimal("-1.5e-7"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", "Grüße, 世界 🚀 \"quoted\" \\ \n\t\u0001");
        params.put("count", 42L);
        params.put("flag", false);
        params.put("nested", inner);
        return params;
    }

    /** A new queued task with a fresh id and {@link #nestedParameters()}. */
    public static Task queued(Instant now) {
        return Task.create(TaskIds.create().newId(), "owner-ü", "report", "Bericht für 世界 ✓", nestedParameters(), now);
    }
}
