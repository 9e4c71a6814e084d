package dev.longhaul.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Intrinsic evaluation, without emulators: resources are registered by hand. */
class StackTest {

    private static final SamTemplate TEMPLATE = SamTemplate.parse("""
            Parameters:
              Stage: {Type: String, Default: dev}
              Zones: {Type: CommaDelimitedList, Default: "a, b"}
              Secret: {Type: String}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
              IsDev: !Not [!Condition IsProd]
              Both: {"Fn::And": [{"Condition": "IsDev"}, !Equals [1, 1]]}
            Mappings:
              Sizes: {dev: {memory: 512}}
            Resources:
              Queue: {Type: AWS::SQS::Queue}
            """);

    private final Stack stack = stack();

    private static Stack stack() {
        Stack stack = new Stack("demo", "eu-west-1", TEMPLATE, Map.of("Stage", "dev", "Zones", List.of("a", "b")));
        stack.add(new Stack.ProvisionedResource("Queue", "AWS::SQS::Queue", "http://q/demo-Queue",
                Map.of("Arn", "arn:aws:sqs:eu-west-1:000000000000:demo-Queue")));
        return stack;
    }

    @Test
    void resolvesRefsToParametersPseudoParametersAndResources() {
        assertEquals("dev", stack.resolve(new Intrinsic.Ref("Stage")));
        assertEquals(List.of("a", "b"), stack.resolve(new Intrinsic.Ref("Zones")));
        assertEquals("eu-west-1", stack.resolve(new Intrinsic.Ref("AWS::Region")));
        assertEquals("000000000000", stack.resolve(new Intrinsic.Ref("AWS::AccountId")));
        assertEquals("demo", stack.resolve(new Intrinsic.Ref("AWS::StackName")));
        assertEquals("aws", stack.resolve(new Intrinsic.Ref("AWS::Partition")));
        assertEquals("amazonaws.com", stack.resolve(new Intrinsic.Ref("AWS::URLSuffix")));
        assertEquals("http://q/demo-Queue", stack.resolve(new Intrinsic.Ref("Queue")));
        assertThrows(IllegalStateException.class, () -> stack.resolve(new Intrinsic.Ref("Secret")));
        assertThrows(NoSuchElementException.class, () -> stack.resolve(new Intrinsic.Ref("Nothing")));
    }

    @Test
    void resolvesSubJoinSelectSplitAndFindInMap() {
        assertEquals("arn:aws:sqs:eu-west-1:000000000000:demo-Queue/eu-west-1/dev/${Literal}",
                stack.resolve(new Intrinsic.Sub("${Queue.Arn}/${AWS::Region}/${S}/${!Literal}",
                        Map.of("S", new Intrinsic.Ref("Stage")))));
        assertEquals("x-dev", stack.resolve(new Intrinsic.Fn("Fn::Join",
                List.of("-", List.of("x", new Intrinsic.Ref("Stage"))))));
        assertEquals("a|b", stack.resolve(new Intrinsic.Fn("Fn::Join", List.of("|", new Intrinsic.Ref("Zones")))));
        assertEquals("b", stack.resolve(new Intrinsic.Fn("Fn::Select", List.of(1, new Intrinsic.Ref("Zones")))));
        assertEquals(List.of("p", "q"), stack.resolve(new Intrinsic.Fn("Fn::Split", List.of("/", "p/q"))));
        assertEquals(512, stack.resolve(new Intrinsic.Fn("Fn::FindInMap",
                List.of("Sizes", new Intrinsic.Ref("Stage"), "memory"))));
    }

    @Test
    void evaluatesConditionsIfAndNoValue() {
        assertFalse(stack.condition("IsProd"));
        assertTrue(stack.condition("IsDev"));
        assertTrue(stack.condition("Both"));
        assertEquals("small", stack.resolve(new Intrinsic.Fn("Fn::If", List.of("IsProd", "big", "small"))));
        Object withNoValue = stack.resolve(Map.of(
                "Kept", "yes",
                "Dropped", new Intrinsic.Fn("Fn::If", List.of("IsDev", new Intrinsic.Ref("AWS::NoValue"), "no"))));
        assertEquals(Map.of("Kept", "yes"), withNoValue);
        assertNull(stack.resolve(new Intrinsic.Ref("AWS::NoValue")));
        assertThrows(UnsupportedOperationException.class,
                () -> stack.resolve(new Intrinsic.Fn("Fn::ImportValue", "elsewhere")));
    }
}
