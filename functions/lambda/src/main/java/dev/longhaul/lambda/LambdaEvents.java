package dev.longhaul.lambda;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.JacksonJrExtension;
import com.fasterxml.jackson.jr.ob.api.ExtensionContext;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterModifier;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterProvider;
import com.fasterxml.jackson.jr.ob.api.ValueReader;
import com.fasterxml.jackson.jr.ob.impl.BeanPropertyIntrospector;
import com.fasterxml.jackson.jr.ob.impl.JSONReader;
import com.fasterxml.jackson.jr.ob.impl.POJODefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/**
 * Binds the Lambda events the functions receive to their {@code aws-lambda-java-events} types
 * ({@code APIGatewayV2HTTPEvent}, {@code SQSEvent}, {@code DynamodbEvent}, {@code ScheduledEvent})
 * and writes the responses ({@code APIGatewayV2HTTPResponse}, {@code SQSBatchResponse},
 * {@code StreamsEventResponse}), with jackson-jr's bean binding.
 *
 * <p>Why not the runtime's own serializer ({@code aws-lambda-java-serialization}) behind a
 * {@code RequestHandler}: it brings a second, shaded Jackson with its databind, about 1,200 more
 * classes and hundreds of milliseconds at every cold start (BENCHMARKS.md). It stays the oracle:
 * the tests bind every file in {@code events/} both ways and require equal objects, and the local
 * cloud writes the events it delivers with it.
 *
 * <p>The event classes are plain beans; the JSON Lambda sends names some properties differently
 * (the SQS and stream {@code Records}, DynamoDB's {@code S}, {@code N}, {@code BOOL}...,
 * EventBridge's {@code detail-type}). jackson-jr matches names without regard to case, a
 * dash-separated alias is added for each camel-case property, and three value types get readers:
 * binary attributes (base64), the stream record's creation time (epoch seconds, not milliseconds)
 * and EventBridge's Joda time.
 */
public final class LambdaEvents {

    private static final JSON EVENTS = JSON.builder()
            .enable(JSON.Feature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(JSON.Feature.FAIL_ON_UNKNOWN_BEAN_PROPERTY, JSON.Feature.WRITE_NULL_PROPERTIES)
            .register(new EventConventions())
            .build();

    private LambdaEvents() {
    }

    /** Reads one event of the given type from a handler's input. */
    public static <T> T read(InputStream input, Class<T> type) throws IOException {
        return EVENTS.beanFrom(type, input);
    }

    /** Reads one event of the given type from its JSON text. */
    public static <T> T read(String json, Class<T> type) throws IOException {
        return EVENTS.beanFrom(type, json);
    }

    /** Writes a response bean as a handler's output. */
    public static void write(Object response, OutputStream output) throws IOException {
        EVENTS.write(response, output);
    }

    /** A response bean as JSON text. */
    public static String write(Object response) throws IOException {
        return EVENTS.asString(response);
    }

    private static final class EventConventions extends JacksonJrExtension {
        @Override
        protected void register(ExtensionContext context) {
            context.appendProvider(new ReaderWriterProvider() {
                @Override
                public ValueReader findValueReader(JSONReader readContext, Class<?> type) {
                    if (type == ByteBuffer.class) {
                        return new Base64Reader();
                    }
                    if (type == Date.class) {
                        return new EpochSecondsReader();
                    }
                    if (type == DateTime.class) {
                        return new IsoTimeReader();
                    }
                    return null;
                }
            });
            context.insertModifier(new DashedAliases());
        }
    }

    /** {@code detailType} also answers to {@code detail-type}. */
    private static final class DashedAliases extends ReaderWriterModifier {
        @Override
        public POJODefinition pojoDefinitionForDeserialization(JSONReader readContext, Class<?> type) {
            if (type.isEnum()) {
                return null;
            }
            POJODefinition definition = BeanPropertyIntrospector.instance().pojoDefinitionForDeserialization(readContext, type);
            List<POJODefinition.Prop> props = new ArrayList<>();
            boolean changed = false;
            for (POJODefinition.Prop prop : definition.getProperties()) {
                String dashed = prop.name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
                if (!dashed.equals(prop.name.toLowerCase(Locale.ROOT)) && prop.hasSetter()) {
                    prop = new POJODefinition.Prop(prop.name, prop.field, prop.setter, prop.getter, prop.isGetter,
                            List.of(dashed));
                    changed = true;
                }
                props.add(prop);
            }
            // null leaves the type to jackson-jr's own introspection
            return changed ? definition.withProperties(props) : null;
        }
    }

    private static final class Base64Reader extends ValueReader {
        Base64Reader() {
            super(ByteBuffer.class);
        }

        @Override
        public Object read(JSONReader reader, JsonParser p) throws IOException {
            return p.currentToken() == JsonToken.VALUE_NULL ? null : ByteBuffer.wrap(Base64.getDecoder().decode(p.getText()));
        }
    }

    /** DynamoDB streams give {@code ApproximateCreationDateTime} in (fractional) epoch seconds. */
    private static final class EpochSecondsReader extends ValueReader {
        EpochSecondsReader() {
            super(Date.class);
        }

        @Override
        public Object read(JSONReader reader, JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            return new Date(new BigDecimal(p.getText()).movePointRight(3).longValue());
        }
    }

    private static final class IsoTimeReader extends ValueReader {
        IsoTimeReader() {
            super(DateTime.class);
        }

        @Override
        public Object read(JSONReader reader, JsonParser p) throws IOException {
            return p.currentToken() == JsonToken.VALUE_NULL ? null : new DateTime(p.getText(), DateTimeZone.UTC);
        }
    }
}
