package dev.longhaul.core.usecase;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fingerprint an {@code Idempotency-Key} remembers its request by: SHA-256 over a canonical
 * form of the parsed body, so that the same request sent with its keys in another order, its
 * numbers spelled otherwise ({@code 1}, {@code 1.0}, {@code 1e0}) or other white space is the same
 * request. The canonical form follows RFC 8785 (JCS): keys sorted by UTF-16 code units, no white
 * space, strings with JCS's escapes, numbers spelled as ECMAScript spells them. Unlike JCS,
 * numbers are kept exact (as {@link BigDecimal}s) rather than rounded to doubles, so two big
 * numbers that differ stay different, and a lone surrogate is escaped rather than refused.
 *
 * <p>It works on the tree a JSON parser returns (maps, lists, strings, booleans, null and any
 * {@link Number}: {@code Long}, {@code BigInteger}, {@code BigDecimal}, {@code Double}...), whatever
 * parser produced it.
 */
final class RequestFingerprint {

    private RequestFingerprint() {
    }

    /** The fingerprint, as 64 lower-case hex digits. */
    static String of(Object body) {
        return sha256Hex(canonical(body));
    }

    /** SHA-256 of the text's UTF-8 bytes, as 64 lower-case hex digits. */
    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The canonical JSON text of a parsed value. */
    static String canonical(Object value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            string(text, out);
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Number number) {
            out.append(number(number));
        } else if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            for (Object key : map.keySet()) {
                keys.add((String) key);
            }
            // String.compareTo orders by UTF-16 code units, as RFC 8785 sorts
            keys.sort(null);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(keys.get(i), out);
                out.append(':');
                write(map.get(keys.get(i)), out);
            }
            out.append('}');
        } else if (value instanceof Iterable<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a parsed JSON value: " + value.getClass().getName());
        }
    }

    /**
     * One spelling per numeric value: the exact decimal value, written as ECMAScript's
     * Number.prototype.toString writes a double (RFC 8785 section 3.2.2.3), which for any number a
     * double holds is exactly what JCS writes.
     */
    static String number(Number number) {
        BigDecimal value = decimal(number);
        if (value.signum() == 0) {
            return "0";
        }
        value = value.stripTrailingZeros();
        String digits = value.unscaledValue().abs().toString();
        int k = digits.length();
        // value = 0.digits * 10^n
        long n = (long) k - value.scale();
        StringBuilder out = new StringBuilder(k + 8);
        if (value.signum() < 0) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat((int) (n - k)));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, (int) n).append('.').append(digits, (int) n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat((int) -n)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
        }
        return out.toString();
    }

    private static BigDecimal decimal(Number number) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return BigDecimal.valueOf(number.longValue());
        }
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("not a JSON number: " + d);
            }
            // the shortest decimal that reads back as this double (or float): what the text said
            return new BigDecimal(number instanceof Float ? Float.toString(number.floatValue()) : Double.toString(d));
        }
        return new BigDecimal(number.toString());
    }

    /** RFC 8785 string escaping; a lone surrogate, which JCS refuses, is written as its escape. */
    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1));
                    if (paired) {
                        out.append(c).append(text.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
