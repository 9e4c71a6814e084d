package dev.longhaul.core.job.builtin;

import dev.longhaul.core.job.Job;
import dev.longhaul.core.job.JobContext;
import dev.longhaul.core.job.Parameter;
import dev.longhaul.core.job.Parameters;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * {@code report.stock}: a synthetic stock-by-store report. Each row is a pure function of the
 * seed and its index, so the same seed gives the same bytes and any row range can be produced
 * on its own. Rows are written as they are made: memory stays flat whatever the row count.
 */
public final class StockReportJob implements Job {
    public static final int STORES = 50;
    private static final byte[] CSV_HEADER = "product,store,stock,reserve,inTransit\n".getBytes();
    private static final Parameters PARAMETERS = Parameters.of(
            Parameter.integer("rows", 1, 10_000_000).describedAs("How many rows the report has."),
            Parameter.oneOf("format", "csv", "json").withDefault("csv")
                    .describedAs("csv: comma-separated with a header row (text/csv; charset=utf-8); "
                            + "json: an array of row objects (application/json)."),
            Parameter.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE).withDefault(0L)
                    .describedAs("The same seed gives the same bytes."));

    @Override
    public String type() {
        return "report.stock";
    }

    @Override
    public String description() {
        return "A synthetic stock-by-store report (product, store, stock, reserve, inTransit), streamed to the "
                + "result as it is made; the same bytes for the same seed. CSV by default, JSON with format=json.";
    }

    @Override
    public Parameters parameters() {
        return PARAMETERS;
    }

    @Override
    public String contentType(Map<String, Object> parameters) {
        return isCsv(parameters) ? "text/csv; charset=utf-8" : "application/json";
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public String fileExtension(Map<String, Object> parameters) {
        return isCsv(parameters) ? "csv" : "json";
    }

    private static boolean isCsv(Map<String, Object> parameters) {
        return "csv".equals(parameters.get("format"));
    }

    @Override
    public void run(Map<String, Object> parameters, JobContext context) throws IOException {
        long rows = Parameters.longOf(parameters, "rows");
        long seed = Parameters.longOf(parameters, "seed");
        boolean csv = isCsv(parameters);
        OutputStream out = new BufferedOutputStream(context.output(), 64 * 1024);
        RowWriter writer = new RowWriter(out);
        long progressEvery = Math.max(1, rows / 100);
        if (csv) {
            out.write(CSV_HEADER);
        } else {
            out.write('[');
        }
        for (long i = 0; i < rows; i++) {
            long h = mix(seed, i);
            long product = i / STORES;
            long store = i % STORES;
            int stock = (int) Long.remainderUnsigned(h, 1000);
            int reserve = stock == 0 ? 0 : (int) Long.remainderUnsigned(h >>> 20, stock + 1);
            int inTransit = (int) Long.remainderUnsigned(h >>> 40, 200);
            if (csv) {
                writer.csvRow(product, store, stock, reserve, inTransit);
            } else {
                writer.jsonRow(i > 0, product, store, stock, reserve, inTransit);
            }
            if ((i + 1) % progressEvery == 0) {
                context.progress((int) ((i + 1) * 100 / rows));
            }
        }
        if (!csv) {
            out.write(']');
            out.write('\n');
        }
        out.flush();
        if (rows % progressEvery != 0) {
            context.progress(100);
        }
    }

    /** SplitMix64 of the seed and the row index: a stateless, well-spread row hash. */
    static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Formats rows straight into bytes, without String.format or per-row allocation. */
    private static final class RowWriter {
        private final OutputStream out;
        private final byte[] buf = new byte[160];
        private int n;

        RowWriter(OutputStream out) {
            this.out = out;
        }

        void csvRow(long product, long store, int stock, int reserve, int inTransit) throws IOException {
            n = 0;
            ascii("SKU-");
            padded(product, 7);
            buf[n++] = ',';
            ascii("STORE-");
            padded(store, 3);
            buf[n++] = ',';
            number(stock);
            buf[n++] = ',';
            number(reserve);
            buf[n++] = ',';
            number(inTransit);
            buf[n++] = '\n';
            out.write(buf, 0, n);
        }

        void jsonRow(boolean comma, long product, long store, int stock, int reserve, int inTransit)
                throws IOException {
            n = 0;
            if (comma) {
                buf[n++] = ',';
            }
            buf[n++] = '\n';
            ascii("{\"product\":\"SKU-");
            padded(product, 7);
            ascii("\",\"store\":\"STORE-");
            padded(store, 3);
            ascii("\",\"stock\":");
            number(stock);
            ascii(",\"reserve\":");
            number(reserve);
            ascii(",\"inTransit\":");
            number(inTransit);
            buf[n++] = '}';
            out.write(buf, 0, n);
        }

        private void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                buf[n++] = (byte) s.charAt(i);
            }
        }

        private void padded(long value, int width) {
            for (int i = width - 1; i >= 0; i--) {
                buf[n + i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            n += width;
        }

        private void number(long value) {
            if (value == 0) {
                buf[n++] = '0';
                return;
            }
            int start = n;
            while (value > 0) {
                buf[n++] = (byte) ('0' + value % 10);
                value /= 10;
            }
            for (int i = start, j = n - 1; i < j; i++, j--) {
                byte t = buf[i];
                buf[i] = buf[j];
                buf[j] = t;
            }
        }
    }
}
