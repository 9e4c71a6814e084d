package dev.longhaul.core.json;

/** Malformed JSON. The message names the problem and the offset, never echoes the input. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public JsonException(String message, int offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
