package dev.longhaul.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.JacksonJrExtension;
import com.fasterxml.jackson.jr.ob.api.ExtensionContext;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterProvider;
import com.fasterxml.jackson.jr.ob.api.ValueWriter;
import com.fasterxml.jackson.jr.ob.impl.JSONWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

/**
 * JSON through jackson-jr: bodies, task attributes, webhook payloads. Jackson reads and writes;
 * this class only sets the limits untrusted input must respect and the few value types Longhaul
 * writes that Jackson does not know ({@link Instant}, {@link JsonWritable}).
 *
 * <p>Values are {@code Map<String, Object>} (insertion ordered), {@code List<Object>},
 * {@code String}, {@code Long}, {@code BigInteger}, {@code BigDecimal} (every
 * number with a fraction or exponent, exactly), {@code Boolean} and {@code null}. A member name
 * given twice is an error, not a silent "last one wins".
 */
public final class Json {
    /** Containers nested deeper than this are refused (the default is 500). */
    public static final int MAX_DEPTH = 64;
    /** Number literals longer than this are refused (the default is 1,000). */
    public static final int MAX_NUMBER_LENGTH = 100;

    /** Exponents beyond this are refused: arithmetic on 1e-999999999 can take minutes. */
    private static final int MAX_SCALE = 1000;
    private static final JsonFactory FACTORY = factory();
    private static final JSON JSON_READER_WRITER = JSON.builder(FACTORY)
            .enable(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS, JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS,
                    JSON.Feature.WRITE_NULL_PROPERTIES, JSON.Feature.FAIL_ON_UNKNOWN_TYPE_WRITE)
            .disable(JSON.Feature.HANDLE_JAVA_BEANS)
            .register(new LonghaulValues())
            .build();

    private Json() {
    }

    private static JsonFactory factory() {
        return new JsonFactoryBuilder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .characterEscapes(new ScriptSafeEscapes())
                .build();
    }

    /**
     * Integers as {@code Long} (or {@code BigInteger} beyond it) whatever their size, as callers
     * compare them; and decimals with an exponent beyond {@link #MAX_SCALE} refused.
     */
    @SuppressWarnings("unchecked")
    private static Object normalized(Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof BigDecimal d) {
            if (Math.abs((long) d.scale()) > MAX_SCALE) {
                throw new JsonException("number out of range", 0);
            }
            return d;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                e.setValue(normalized(e.getValue()));
            }
        } else if (value instanceof List<?> list) {
            ListIterator<Object> items = ((List<Object>) list).listIterator();
            while (items.hasNext()) {
                items.set(normalized(items.next()));
            }
        }
        return value;
    }

    /** Parses one JSON value that must span the whole text. */
    public static Object parse(String text) {
        if (text == null) {
            throw new JsonException("no JSON text", 0);
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            Object value = normalized(JSON_READER_WRITER.anyFrom(parser));
            if (parser.nextToken() != null) {
                throw new JsonException("unexpected text after the JSON value", offset(parser.currentTokenLocation()));
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new JsonException(e.getOriginalMessage(), offset(e.getLocation()));
        } catch (IOException | RuntimeException e) {
            // jackson-jr reports some malformed input (a bad number, say) outside JsonProcessingException
            throw new JsonException("malformed JSON", 0);
        }
    }

    /** Parses a JSON object, failing when the text holds any other kind of value. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new JsonException("expected a JSON object", 0);
        }
        return (Map<String, Object>) value;
    }

    /** Writes a value as compact JSON. Instants are written as ISO-8601 strings. */
    public static String write(Object value) {
        try {
            return JSON_READER_WRITER.asString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON value: " + e.getMessage(), e);
        }
    }

    /** Writes a value as compact UTF-8 JSON to a stream. */
    public static void write(Object value, OutputStream out) throws IOException {
        JSON_READER_WRITER.write(value, out);
    }

    /** Appends a value as compact JSON. */
    public static void write(Object value, StringBuilder out) {
        out.append(write(value));
    }

    /** Quotes a string as a JSON string literal. */
    public static void quote(String s, StringBuilder out) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, out);
        out.append('"');
    }

    /** An immutable empty object, for defaults. */
    public static Map<String, Object> emptyObject() {
        return Collections.emptyMap();
    }

    private static int offset(JsonLocation location) {
        return location == null ? 0 : (int) Math.max(0, location.getCharOffset());
    }

    /** Writers for the values Longhaul puts in its maps beyond what jackson-jr knows. */
    private static final class LonghaulValues extends JacksonJrExtension {
        @Override
        protected void register(ExtensionContext context) {
            context.appendProvider(new ReaderWriterProvider() {
                @Override
                public ValueWriter findValueWriter(JSONWriter writeContext, Class<?> type) {
                    if (Instant.class.isAssignableFrom(type)) {
                        return new ToStringWriter(type);
                    }
                    if (type == Double.class || type == Float.class) {
                        return new DoubleWriter(type);
                    }
                    if (JsonWritable.class.isAssignableFrom(type)) {
                        return new WritableWriter(type);
                    }
                    return null;
                }
            });
        }
    }

    /** Non-finite doubles have no JSON form: they are written as null. */
    private record DoubleWriter(Class<?> valueType) implements ValueWriter {
        @Override
        public void writeValue(JSONWriter context, JsonGenerator g, Object value) throws IOException {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeNull();
            }
        }
    }

    /**
     * U+2028 and U+2029 escaped too: valid in JSON, line terminators in older JavaScript. And the
     * noncharacters U+FFFE and U+FFFF: SQS refuses a message body holding them raw (it takes
     * #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF), and a task's JSON snapshot
     * is the work queue's message body, so a valid create would otherwise fail to enqueue.
     */
    private static final class ScriptSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            switch (ch) {
                case 0x2028: return LINE_SEPARATOR;
                case 0x2029: return PARAGRAPH_SEPARATOR;
                case 0xfffe: return NONCHARACTER_FFFE;
                case 0xffff: return NONCHARACTER_FFFF;
                default: return null;
            }
        }

        private static final SerializableString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializableString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");
        private static final SerializableString NONCHARACTER_FFFE = new SerializedString("\\uFFFE");
        private static final SerializableString NONCHARACTER_FFFF = new SerializedString("\\uFFFF");
    }

    private record ToStringWriter(Class<?> valueType) implements ValueWriter {
        @Override
        public void writeValue(JSONWriter context, JsonGenerator g, Object value) throws IOException {
            g.writeString(value.toString());
        }
    }

    private record WritableWriter(Class<?> valueType) implements ValueWriter {
        @Override
        public void writeValue(JSONWriter context, JsonGenerator g, Object value) throws IOException {
            context.writeValue(((JsonWritable) value).toJson());
        }
    }
}
