package dev.longhaul.aws.testing;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * What Lambda's event source mapping does with a table's stream, done by hand so tests control
 * each step: records read from the real stream (DynamoDB Local's, {@link TestCloud#streamRecords})
 * turned into Lambda's stream event, as JSON for the Lambda runtime's serializer.
 */
public final class StreamEvents {
    private StreamEvents() {
    }

    /** These records, oldest first, as one stream event. */
    public static Map<String, Object> of(List<Record> streamRecords) {
        List<Object> records = new ArrayList<>();
        for (Record r : streamRecords) {
            records.add(lambdaRecord(r));
        }
        return new LinkedHashMap<>(Map.of("Records", records));
    }

    private static Map<String, Object> lambdaRecord(Record r) {
        Map<String, Object> dynamodb = new LinkedHashMap<>();
        dynamodb.put("Keys", json(r.dynamodb().keys()));
        if (r.dynamodb().hasNewImage()) {
            dynamodb.put("NewImage", json(r.dynamodb().newImage()));
        }
        if (r.dynamodb().hasOldImage()) {
            dynamodb.put("OldImage", json(r.dynamodb().oldImage()));
        }
        dynamodb.put("SequenceNumber", r.dynamodb().sequenceNumber());
        dynamodb.put("StreamViewType", r.dynamodb().streamViewTypeAsString());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventID", r.eventID());
        record.put("eventName", r.eventNameAsString());
        record.put("eventSource", "aws:dynamodb");
        record.put("dynamodb", dynamodb);
        return record;
    }

    private static Map<String, Object> json(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((k, v) -> out.put(k, json(v)));
        return out;
    }

    private static Map<String, Object> json(AttributeValue v) {
        switch (v.type()) {
            case S: return Map.of("S", v.s());
            case N: return Map.of("N", v.n());
            case BOOL: return Map.of("BOOL", v.bool());
            case NUL: return Map.of("NULL", true);
            case B: return Map.of("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
            case SS: return Map.of("SS", v.ss());
            case NS: return Map.of("NS", v.ns());
            case L: {
                List<Object> list = new ArrayList<>();
                v.l().forEach(e -> list.add(json(e)));
                return Map.of("L", list);
            }
            case M: return Map.of("M", json(v.m()));
            default: throw new IllegalArgumentException("unsupported attribute type " + v.type());
        }
    }
}
