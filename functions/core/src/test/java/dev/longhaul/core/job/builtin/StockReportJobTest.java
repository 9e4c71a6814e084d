package dev.longhaul.core.job.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longhaul.core.json.Json;
import dev.longhaul.core.testing.CountingOutputStream;
import dev.longhaul.core.testing.RecordingJobContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StockReportJobTest {
    private final StockReportJob job = new StockReportJob();

    private Map<String, Object> parameters(long rows, String format, long seed) {
        return job.parameters().validate(Map.of("rows", rows, "format", format, "seed", seed));
    }

    private byte[] run(Map<String, Object> parameters, RecordingJobContext[] contextOut) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordingJobContext context = new RecordingJobContext(out);
        job.run(parameters, context);
        if (contextOut != null) {
            contextOut[0] = context;
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json"})
    void theSameSeedGivesTheSameBytes(String format) throws Exception {
        byte[] first = sha256(run(parameters(5_000, format, 42), null));
        byte[] second = sha256(run(parameters(5_000, format, 42), null));
        assertArrayEquals(first, second);
        byte[] other = sha256(run(parameters(5_000, format, 43), null));
        assertFalse(MessageDigest.isEqual(first, other));
    }

    @Test
    void csvHasAHeaderAndOneLinePerRow() throws Exception {
        String csv = new String(run(parameters(1_234, "csv", 7), null), StandardCharsets.UTF_8);
        assertTrue(csv.endsWith("\n"));
        String[] lines = csv.split("\n");
        assertEquals(1_235, lines.length);
        assertEquals("product,store,stock,reserve,inTransit", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            assertEquals(5, cells.length, lines[i]);
            long row = i - 1;
            assertEquals(String.format("SKU-%07d", row / StockReportJob.STORES), cells[0]);
            assertEquals(String.format("STORE-%03d", row % StockReportJob.STORES), cells[1]);
            int stock = Integer.parseInt(cells[2]);
            int reserve = Integer.parseInt(cells[3]);
            int inTransit = Integer.parseInt(cells[4]);
            assertTrue(stock >= 0 && stock < 1000, lines[i]);
            assertTrue(reserve >= 0 && reserve <= stock, lines[i]);
            assertTrue(inTransit >= 0 && inTransit < 200, lines[i]);
        }
    }

    @Test
    void jsonIsAnArrayOfRowObjects() throws Exception {
        String json = new String(run(parameters(321, "json", 7), null), StandardCharsets.UTF_8);
        List<?> rows = assertInstanceOf(List.class, Json.parse(json));
        assertEquals(321, rows.size());
        String csv = new String(run(parameters(321, "csv", 7), null), StandardCharsets.UTF_8);
        String[] lines = csv.split("\n");
        for (int i = 0; i < rows.size(); i++) {
            Map<?, ?> row = assertInstanceOf(Map.class, rows.get(i));
            assertEquals(List.of("product", "store", "stock", "reserve", "inTransit"), List.copyOf(row.keySet()));
            String[] cells = lines[i + 1].split(",");
            assertEquals(cells[0], row.get("product"));
            assertEquals(cells[1], row.get("store"));
            assertEquals(Long.parseLong(cells[2]), row.get("stock"));
            assertEquals(Long.parseLong(cells[3]), row.get("reserve"));
            assertEquals(Long.parseLong(cells[4]), row.get("inTransit"));
        }
    }

    @Test
    void aSingleRowIsValidJson() throws Exception {
        List<?> rows = assertInstanceOf(List.class,
                Json.parse(new String(run(parameters(1, "json", 0), null), StandardCharsets.UTF_8)));
        assertEquals(1, rows.size());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 99, 100, 1_000, 50_000})
    void progressIsMonotonicAndReachesOneHundred(long rows) throws Exception {
        RecordingJobContext[] context = new RecordingJobContext[1];
        run(parameters(rows, "csv", 1), context);
        List<Integer> progress = context[0].progress();
        assertFalse(progress.isEmpty());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1), progress.toString());
        }
        assertTrue(progress.get(0) >= 0);
        assertEquals(100, progress.get(progress.size() - 1));
        assertTrue(progress.size() <= 100, "progress calls: " + progress.size());
    }

    @Test
    void aMillionRowsStreamWithoutBeingHeld() throws Exception {
        CountingOutputStream out = new CountingOutputStream();
        RecordingJobContext context = new RecordingJobContext(out);
        job.run(parameters(1_000_000, "csv", 3), context);
        assertTrue(out.count() > 0);
        assertEquals(100, context.progress().get(context.progress().size() - 1));
    }
}
