package dev.longhaul.aws.dynamodb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A DynamoDB attribute value: exactly one of the types DynamoDB JSON has ({@code S}, {@code N},
 * {@code B}, {@code BOOL}, {@code NULL}, {@code SS}, {@code NS}, {@code L}, {@code M}). Converts
 * to and from DynamoDB JSON, which is both the wire format and the shape of stream images.
 */
public final class Attr {
    private final String type;
    private final Object value;

    private Attr(String type, Object value) {
        this.type = type;
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Attr fromS(String s) {
        return new Attr("S", s);
    }

    public static Attr fromN(String n) {
        return new Attr("N", n);
    }

    public static Attr fromN(long n) {
        return new Attr("N", Long.toString(n));
    }

    public static Attr fromB(byte[] bytes) {
        return new Attr("B", bytes.clone());
    }

    public static Attr fromBool(boolean b) {
        return new Attr("BOOL", b);
    }

    public static Attr fromNul() {
        return new Attr("NULL", Boolean.TRUE);
    }

    public static Attr fromSs(List<String> strings) {
        return new Attr("SS", List.copyOf(strings));
    }

    public static Attr fromNs(List<String> numbers) {
        return new Attr("NS", List.copyOf(numbers));
    }

    public static Attr fromL(List<Attr> list) {
        return new Attr("L", List.copyOf(list));
    }

    public static Attr fromM(Map<String, Attr> map) {
        return new Attr("M", Map.copyOf(map));
    }

    public String type() {
        return type;
    }

    /** The string, or null when this is not an {@code S}. */
    public String s() {
        return type.equals("S") ? (String) value : null;
    }

    /** The number as DynamoDB keeps it, as text, or null when this is not an {@code N}. */
    public String n() {
        return type.equals("N") ? (String) value : null;
    }

    public byte[] b() {
        return type.equals("B") ? ((byte[]) value).clone() : null;
    }

    public Boolean bool() {
        return type.equals("BOOL") ? (Boolean) value : null;
    }

    @SuppressWarnings("unchecked")
    public List<String> ss() {
        return type.equals("SS") ? (List<String>) value : null;
    }

    @SuppressWarnings("unchecked")
    public List<Attr> l() {
        return type.equals("L") ? (List<Attr>) value : null;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Attr> m() {
        return type.equals("M") ? (Map<String, Attr>) value : null;
    }

    public boolean hasL() {
        return type.equals("L");
    }

    public boolean hasSs() {
        return type.equals("SS");
    }

    public boolean hasM() {
        return type.equals("M");
    }

    /** This value as DynamoDB JSON: {@code {"S": "text"}}. */
    public Map<String, Object> toJson() {
        Object json;
        switch (type) {
            case "B":
                json = Base64.getEncoder().encodeToString((byte[]) value);
                break;
            case "L": {
                List<Object> list = new ArrayList<>();
                for (Attr element : l()) {
                    list.add(element.toJson());
                }
                json = list;
                break;
            }
            case "M":
                json = toJson(m());
                break;
            default:
                json = value;
        }
        return Map.of(type, json);
    }

    public static Map<String, Object> toJson(Map<String, Attr> item) {
        Map<String, Object> json = new LinkedHashMap<>();
        item.forEach((name, attr) -> json.put(name, attr.toJson()));
        return json;
    }

    /** @throws IllegalArgumentException on anything that is not DynamoDB JSON */
    @SuppressWarnings("unchecked")
    public static Map<String, Attr> itemFromJson(Map<String, Object> json) {
        Map<String, Attr> item = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            if (!(e.getValue() instanceof Map)) {
                throw new IllegalArgumentException("attribute " + e.getKey() + " is not DynamoDB JSON");
            }
            item.put(e.getKey(), fromJson((Map<String, Object>) e.getValue()));
        }
        return item;
    }

    /** @throws IllegalArgumentException on anything that is not one DynamoDB JSON value */
    @SuppressWarnings("unchecked")
    public static Attr fromJson(Map<String, Object> typed) {
        if (typed.size() != 1) {
            throw new IllegalArgumentException("an attribute value has exactly one type");
        }
        Map.Entry<String, Object> only = typed.entrySet().iterator().next();
        Object v = only.getValue();
        try {
            switch (only.getKey()) {
                case "S": return fromS((String) v);
                case "N": return fromN(String.valueOf(v));
                case "BOOL": return fromBool(Boolean.TRUE.equals(v) || "true".equals(v));
                case "NULL": return fromNul();
                case "B": return new Attr("B", Base64.getDecoder().decode((String) v));
                case "SS": return fromSs(strings(v));
                case "NS": return fromNs(strings(v));
                case "BS": throw new IllegalArgumentException("binary sets are not used by Longhaul");
                case "L": {
                    List<Attr> list = new ArrayList<>();
                    for (Object element : (List<Object>) v) {
                        list.add(fromJson((Map<String, Object>) element));
                    }
                    return fromL(list);
                }
                case "M": return fromM(itemFromJson((Map<String, Object>) v));
                default: throw new IllegalArgumentException("unknown attribute type " + only.getKey());
            }
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("malformed " + only.getKey() + " attribute value");
        }
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attr)) {
            return false;
        }
        Attr other = (Attr) o;
        return type.equals(other.type) && (type.equals("B")
                ? Arrays.equals((byte[]) value, (byte[]) other.value) : value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + (type.equals("B") ? Arrays.hashCode((byte[]) value) : value.hashCode());
    }

    @Override
    public String toString() {
        return type + "=" + (type.equals("B") ? "<" + ((byte[]) value).length + " bytes>" : value);
    }
}
