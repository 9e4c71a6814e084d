package dev.longhaul.bench.baseline;

import dev.longhaul.aws.dynamodb.Attr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items between Longhaul's attribute values and the SDK's, so the baseline stores exactly the
 * item layout the functions' {@code TaskItemMapper} defines.
 */
final class SdkItems {
    private SdkItems() {
    }

    static Map<String, AttributeValue> toSdk(Map<String, Attr> item) {
        Map<String, AttributeValue> out = new HashMap<>();
        item.forEach((name, value) -> out.put(name, toSdk(value)));
        return out;
    }

    static Map<String, Attr> fromSdk(Map<String, AttributeValue> item) {
        Map<String, Attr> out = new HashMap<>();
        item.forEach((name, value) -> out.put(name, fromSdk(value)));
        return out;
    }

    private static AttributeValue toSdk(Attr value) {
        switch (value.type()) {
            case "S": return AttributeValue.fromS(value.s());
            case "N": return AttributeValue.fromN(value.n());
            case "BOOL": return AttributeValue.fromBool(value.bool());
            case "NULL": return AttributeValue.fromNul(true);
            case "B": return AttributeValue.fromB(SdkBytes.fromByteArray(value.b()));
            case "SS": return AttributeValue.fromSs(value.ss());
            case "M": return AttributeValue.fromM(toSdk(value.m()));
            case "L": {
                List<AttributeValue> list = new ArrayList<>();
                value.l().forEach(element -> list.add(toSdk(element)));
                return AttributeValue.fromL(list);
            }
            default: throw new IllegalArgumentException("attribute type " + value.type() + " not used by tasks");
        }
    }

    private static Attr fromSdk(AttributeValue value) {
        if (value.s() != null) {
            return Attr.fromS(value.s());
        }
        if (value.n() != null) {
            return Attr.fromN(value.n());
        }
        if (value.bool() != null) {
            return Attr.fromBool(value.bool());
        }
        if (value.b() != null) {
            return Attr.fromB(value.b().asByteArray());
        }
        if (value.hasSs()) {
            return Attr.fromSs(value.ss());
        }
        if (value.hasM()) {
            return Attr.fromM(fromSdk(value.m()));
        }
        if (value.hasL()) {
            List<Attr> list = new ArrayList<>();
            value.l().forEach(element -> list.add(fromSdk(element)));
            return Attr.fromL(list);
        }
        return Attr.fromNul();
    }
}
