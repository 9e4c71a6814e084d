package dev.longhaul.aws.webhook;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB JSON, as Lambda puts item images in a stream event ({@code {"S": "..."}},
 * {@code {"N": "1"}}...), turned into SDK attribute values so the table's own mapper reads them.
 */
public final class StreamImages {
    private StreamImages() {
    }

    /** @throws IllegalArgumentException on anything that is not DynamoDB JSON */
    @SuppressWarnings("unchecked")
    public static Map<String, AttributeValue> item(Map<String, Object> image) {
        Map<String, AttributeValue> item = new HashMap<>();
        for (Map.Entry<String, Object> e : image.entrySet()) {
            if (!(e.getValue() instanceof Map)) {
                throw new IllegalArgumentException("attribute " + e.getKey() + " is not DynamoDB JSON");
            }
            item.put(e.getKey(), value((Map<String, Object>) e.getValue()));
        }
        return item;
    }

    @SuppressWarnings("unchecked")
    static AttributeValue value(Map<String, Object> typed) {
        if (typed.size() != 1) {
            throw new IllegalArgumentException("an attribute value has exactly one type");
        }
        Map.Entry<String, Object> only = typed.entrySet().iterator().next();
        Object v = only.getValue();
        switch (only.getKey()) {
            case "S": return AttributeValue.fromS((String) v);
            case "N": return AttributeValue.fromN(String.valueOf(v));
            case "BOOL": return AttributeValue.fromBool(Boolean.TRUE.equals(v) || "true".equals(v));
            case "NULL": return AttributeValue.fromNul(true);
            case "B": return AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode((String) v)));
            case "SS": return AttributeValue.fromSs(strings(v));
            case "NS": return AttributeValue.fromNs(strings(v));
            case "BS": {
                List<SdkBytes> bytes = new ArrayList<>();
                for (String s : strings(v)) {
                    bytes.add(SdkBytes.fromByteArray(Base64.getDecoder().decode(s)));
                }
                return AttributeValue.fromBs(bytes);
            }
            case "L": {
                List<AttributeValue> list = new ArrayList<>();
                for (Object element : (List<Object>) v) {
                    list.add(value((Map<String, Object>) element));
                }
                return AttributeValue.fromL(list);
            }
            case "M": return AttributeValue.fromM(item((Map<String, Object>) v));
            default: throw new IllegalArgumentException("unknown attribute type " + only.getKey());
        }
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            out.add(String.valueOf(o));
        }
        return out;
    }
}
