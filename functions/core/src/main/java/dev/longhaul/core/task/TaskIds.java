package dev.longhaul.core.task;

import dev.longhaul.core.port.IdSource;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Task ids: 48 bits of milliseconds then 128 random bits, in lower-case Crockford base32
 * (36 characters, URL-safe). Ids sort by creation time and cannot be guessed.
 */
public final class TaskIds implements IdSource {
    public static final int LENGTH = 36;
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final boolean[] VALID = new boolean[128];

    static {
        for (char c : ALPHABET) {
            VALID[c] = true;
        }
    }

    private final Clock clock;
    private final SecureRandom random;

    public TaskIds(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    public static TaskIds create() {
        return new TaskIds(Clock.systemUTC(), new SecureRandom());
    }

    @Override
    public String newId() {
        byte[] entropy = new byte[16];
        random.nextBytes(entropy);
        return encode(clock.millis(), entropy);
    }

    /** The smallest id a task created at {@code instant} can have. */
    public static String lowerBound(java.time.Instant instant) {
        return encode(instant.toEpochMilli(), new byte[16]);
    }

    /** The largest id a task created at {@code instant} can have. */
    public static String upperBound(java.time.Instant instant) {
        byte[] ones = new byte[16];
        java.util.Arrays.fill(ones, (byte) 0xff);
        return encode(instant.toEpochMilli(), ones);
    }

    private static String encode(long millis, byte[] entropy) {
        // 6 bytes of time, big endian, so that ids order by creation time, then the entropy;
        // 23 bytes = 184 bits, of which 36 base32 digits carry 180: the last byte only pads
        byte[] bytes = new byte[23];
        long time = Math.max(0, Math.min(millis, 0xFFFF_FFFF_FFFFL));
        for (int i = 5; i >= 0; i--) {
            bytes[i] = (byte) time;
            time >>>= 8;
        }
        System.arraycopy(entropy, 0, bytes, 6, 16);
        char[] out = new char[LENGTH];
        int buffer = 0;
        int bits = 0;
        int index = 0;
        for (int i = 0; i < bytes.length && index < LENGTH; i++) {
            buffer = (buffer << 8) | (bytes[i] & 0xff);
            bits += 8;
            while (bits >= 5 && index < LENGTH) {
                out[index++] = ALPHABET[(buffer >>> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        return new String(out);
    }

    /** True for strings shaped like a task id; anything else is rejected before any lookup. */
    public static boolean isWellFormed(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (c >= 128 || !VALID[c]) {
                return false;
            }
        }
        return true;
    }
}
