package dev.longhaul.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SamTemplateTest {

    private static final String SHORT_AND_LONG = """
            AWSTemplateFormatVersion: 2010-09-09
            Parameters:
              Stage: {Type: String, Default: dev}
              Names: {Type: CommaDelimitedList}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
              IsProdLong: {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
            Globals:
              Function:
                Timeout: 10
                Layers: [a]
                Environment:
                  Variables: {SHARED: one, OVERRIDDEN: global}
            Resources:
              Queue:
                Type: AWS::SQS::Queue
              Fn:
                Type: AWS::Serverless::Function
                DependsOn: Queue
                Properties:
                  Timeout: 20
                  Layers: [b]
                  Environment:
                    Variables: {OWN: !Ref Queue, OVERRIDDEN: local}
                  Short:
                    - !GetAtt Queue.Arn
                    - !GetAtt [Queue, Arn]
                    - !Sub "${Queue.Arn}-${AWS::Region}"
                    - !Sub ["${X}", {X: !Ref Stage}]
                    - !Join ["-", [a, !Ref Stage]]
                    - !Select [0, !Split [",", "a,b"]]
                    - !If [IsProd, !Ref AWS::NoValue, x]
                    - !Not [!Condition IsProd]
                    - !And [!Condition IsProd, !Or [!Condition IsProd, !Equals [a, a]]]
                    - !FindInMap [M, k, v]
                    - !ImportValue other-stack-output
                    - !Base64 hello
                    - !GetAZs ""
                    - !Cidr [10.0.0.0/16, 4, 8]
                  Long:
                    - {"Fn::GetAtt": "Queue.Arn"}
                    - {"Fn::GetAtt": ["Queue", "Arn"]}
                    - {"Fn::Sub": "${Queue.Arn}-${AWS::Region}"}
                    - {"Fn::Sub": ["${X}", {X: {"Ref": "Stage"}}]}
                    - {"Fn::Join": ["-", [a, {"Ref": "Stage"}]]}
            """;

    @Test
    void readsShortFormsAsTypedIntrinsics() {
        SamTemplate template = SamTemplate.parse(SHORT_AND_LONG);
        List<?> items = (List<?>) template.resource("Fn").properties().get("Short");

        assertEquals(new Intrinsic.GetAtt("Queue", "Arn"), items.get(0));
        assertEquals(new Intrinsic.GetAtt("Queue", "Arn"), items.get(1));
        assertEquals(new Intrinsic.Sub("${Queue.Arn}-${AWS::Region}", Map.of()), items.get(2));
        assertEquals(new Intrinsic.Sub("${X}", Map.of("X", new Intrinsic.Ref("Stage"))), items.get(3));
        assertEquals(new Intrinsic.Fn("Fn::Join", List.of("-", List.of("a", new Intrinsic.Ref("Stage")))),
                items.get(4));
        assertEquals("Fn::Select", ((Intrinsic.Fn) items.get(5)).name());
        assertEquals(new Intrinsic.Fn("Fn::If", List.of("IsProd", new Intrinsic.Ref("AWS::NoValue"), "x")),
                items.get(6));
        assertEquals(new Intrinsic.Fn("Fn::Not", List.of(new Intrinsic.Fn("Condition", "IsProd"))), items.get(7));
        assertEquals("Fn::And", ((Intrinsic.Fn) items.get(8)).name());
        assertEquals(new Intrinsic.Fn("Fn::FindInMap", List.of("M", "k", "v")), items.get(9));
        assertEquals(new Intrinsic.Fn("Fn::ImportValue", "other-stack-output"), items.get(10));
        assertEquals(new Intrinsic.Fn("Fn::Base64", "hello"), items.get(11));
        assertEquals(new Intrinsic.Fn("Fn::GetAZs", ""), items.get(12));
        assertEquals("Fn::Cidr", ((Intrinsic.Fn) items.get(13)).name());
    }

    @Test
    void readsLongFormsToTheSameValuesAsShortForms() {
        SamTemplate template = SamTemplate.parse(SHORT_AND_LONG);
        Map<String, Object> properties = template.resource("Fn").properties();
        List<?> shortForms = (List<?>) properties.get("Short");
        List<?> longForms = (List<?>) properties.get("Long");

        for (int i = 0; i < longForms.size(); i++) {
            assertEquals(shortForms.get(i), longForms.get(i), "item " + i);
        }
        assertEquals(template.conditions().get("IsProd"), template.conditions().get("IsProdLong"));
    }

    @Test
    void exposesParametersResourcesAndDependencies() {
        SamTemplate template = SamTemplate.parse(SHORT_AND_LONG);

        assertEquals(Optional.of("dev"), template.parameters().get("Stage").defaultValue());
        assertEquals(Optional.empty(), template.parameters().get("Names").defaultValue());
        assertEquals("CommaDelimitedList", template.parameters().get("Names").type());
        assertEquals("AWS::SQS::Queue", template.resource("Queue").type());
        assertEquals(List.of("Queue"), template.resource("Fn").dependsOn());
        assertThrows(java.util.NoSuchElementException.class, () -> template.resource("Missing"));
    }

    @Test
    void mergesGlobalsIntoFunctionPropertiesTheWaySamDoes() {
        Map<String, Object> properties = SamTemplate.parse(SHORT_AND_LONG).functionProperties("Fn");

        assertEquals(20, properties.get("Timeout"));
        assertEquals(List.of("a", "b"), properties.get("Layers"));
        Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) properties.get("Environment")).get("Variables");
        assertEquals("one", variables.get("SHARED"));
        assertEquals("local", variables.get("OVERRIDDEN"));
        assertEquals(new Intrinsic.Ref("Queue"), variables.get("OWN"));
    }

    @Test
    void loadsTheProjectTemplate() {
        SamTemplate template = SamTemplate.load(ProvisionerTest.projectTemplate());

        assertEquals(Optional.of("3600"), template.parameters().get("ResultTtlSeconds").defaultValue());
        assertEquals(Optional.of("300"), template.parameters().get("PresignTtlSeconds").defaultValue());
        assertEquals("AWS::DynamoDB::Table", template.resource("TasksTable").type());
        Map<String, Object> api = template.functionProperties("ApiFunction");
        assertEquals("java21", api.get("Runtime"));
        Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) api.get("Environment")).get("Variables");
        assertTrue(variables.containsKey("JAVA_TOOL_OPTIONS"), "Globals variable merged in");
        assertInstanceOf(Intrinsic.Ref.class, variables.get("TASKS_TABLE"));
        assertThrows(IllegalArgumentException.class, () -> template.functionProperties("TasksTable"));
    }
}
