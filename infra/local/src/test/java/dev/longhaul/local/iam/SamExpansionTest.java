package dev.longhaul.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longhaul.core.json.Json;
import dev.longhaul.emulators.Intrinsic;
import dev.longhaul.emulators.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Expanded exactly as SAM does", checked against SAM itself: the roles the local cloud expands
 * ({@link ExecutionRoles#samRole}) equal those the installed aws-sam-translator writes into the
 * transformed template, policy for policy and managed ARN for managed ARN, for the project's
 * template and for a template that uses every policy template of the shipped copy and every form
 * a {@code Policies} entry can take. aws-sam-translator comes with cfn-lint, which CI requires.
 */
class SamExpansionTest {

    private static String installedVersion;

    @BeforeAll
    static void translator() throws Exception {
        Process process = new ProcessBuilder("python3", "-c", "import samtranslator; print(samtranslator.__version__)")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0,
                "aws-sam-translator is not installed for python3 (it comes with cfn-lint): " + output);
        installedVersion = output;
    }

    @Test
    void theShippedPolicyTemplatesAreTheTranslatorsOwn() throws Exception {
        assumeTrue(SamPolicyTemplates.VERSION.endsWith(" " + installedVersion), "the installed aws-sam-translator is "
                + installedVersion + ", the shipped copy comes from " + SamPolicyTemplates.VERSION);
        String installed = python("import samtranslator, os; print(open(os.path.join(os.path.dirname("
                + "samtranslator.__file__), 'policy_templates_data', 'policy_templates.json')).read())");
        assertEquals(Json.parse(installed), Json.parse(SamPolicyTemplates.resource("sam-policy-templates.json")));
    }

    @Test
    void theProjectTemplatesRolesAreSamsRoles() throws Exception {
        Path template = Path.of(System.getProperty("longhaul.root.dir", "../..")).resolve("template.yaml");
        assertSameRoles(template, "{\"JwtIssuer\": \"https://issuer.example/\", \"JwtAudience\": \"client\"}");
    }

    @Test
    void everyPolicyTemplateAndEveryFormOfPolicyIsExpandedAsSamExpandsIt() throws Exception {
        StringBuilder policies = new StringBuilder();
        SamPolicyTemplates templates = SamPolicyTemplates.bundled();
        for (String name : templates.names()) {
            policies.append("        - ").append(name).append(":");
            if (templates.parameters(name).isEmpty()) {
                policies.append(" {}\n");
            } else {
                policies.append("\n");
                templates.parameters(name).forEach(parameter ->
                        policies.append("            ").append(parameter).append(": value-").append(parameter).append('\n'));
            }
        }
        String yaml = """
                Transform: AWS::Serverless-2016-10-31
                Parameters:
                  Stage:
                    Type: String
                    Default: dev
                Conditions:
                  IsProd: !Equals [!Ref Stage, prod]
                Globals:
                  Function:
                    Runtime: java21
                    Handler: a.B::handleRequest
                    CodeUri: code.jar
                Resources:
                  Queue:
                    Type: AWS::SQS::Queue
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      BillingMode: PAY_PER_REQUEST
                      StreamSpecification: {StreamViewType: NEW_IMAGE}
                  EveryTemplate:
                    Type: AWS::Serverless::Function
                    Properties:
                      Policies:
                %s
                  EveryForm:
                    Type: AWS::Serverless::Function
                    Properties:
                      Tracing: Active
                      VpcConfig:
                        SecurityGroupIds: [sg-1]
                        SubnetIds: [subnet-1]
                      DeadLetterQueue:
                        Type: SQS
                        TargetArn: !GetAtt Queue.Arn
                      Policies:
                        - AWSLambdaBasicExecutionRole
                        - AmazonS3ReadOnlyAccess
                        - arn:aws:iam::123456789012:policy/custom
                        - !Sub "arn:${AWS::Partition}:iam::aws:policy/AmazonSQSReadOnlyAccess"
                        - !If [IsProd, AmazonDynamoDBReadOnlyAccess, !Ref AWS::NoValue]
                        - !If
                          - IsProd
                          - DynamoDBCrudPolicy:
                              TableName: !Ref Table
                          - DynamoDBReadPolicy:
                              TableName: !Ref Table
                        - !If
                          - IsProd
                          - !Ref AWS::NoValue
                          - Statement:
                              - Effect: Allow
                                Action: sqs:SendMessage
                                Resource: !GetAtt Queue.Arn
                        - Version: "2012-10-17"
                          Statement:
                            - Effect: Deny
                              NotAction: ["dynamodb:*"]
                              NotResource: !GetAtt Table.Arn
                              Condition:
                                StringNotLike:
                                  aws:PrincipalArn: ["arn:aws:iam::*:role/admin-*"]
                        - SQSPollerPolicy:
                            QueueName: !GetAtt Queue.QueueName
                      Events:
                        Work:
                          Type: SQS
                          Properties:
                            Queue: !GetAtt Queue.Arn
                        MoreWork:
                          Type: SQS
                          Properties:
                            Queue: arn:aws:sqs:us-east-1:000000000000:other
                        Changes:
                          Type: DynamoDB
                          Properties:
                            Stream: !GetAtt Table.StreamArn
                            StartingPosition: LATEST
                            DestinationConfig:
                              OnFailure:
                                Type: SQS
                                Destination: !GetAtt Queue.Arn
                        MoreChanges:
                          Type: DynamoDB
                          Properties:
                            Stream: !GetAtt Table.StreamArn
                            StartingPosition: TRIM_HORIZON
                            DestinationConfig:
                              OnFailure:
                                Type: SNS
                                Destination: arn:aws:sns:us-east-1:000000000000:topic
                        Records:
                          Type: Kinesis
                          Properties:
                            Stream: arn:aws:kinesis:us-east-1:000000000000:stream/s
                            StartingPosition: LATEST
                            DestinationConfig:
                              OnFailure:
                                Type: S3
                                Destination: arn:aws:s3:::failures
                        Hourly:
                          Type: Schedule
                          Properties:
                            Schedule: rate(1 hour)
                """.formatted(policies.toString().stripTrailing());
        Path template = Files.createTempFile("every-policy", ".yaml");
        try {
            Files.writeString(template, yaml, StandardCharsets.UTF_8);
            assertSameRoles(template, "{}");
        } finally {
            Files.deleteIfExists(template);
        }
    }

    private static void assertSameRoles(Path template, String parameters) throws Exception {
        Map<String, Object> sam = Json.parseObject(run(template, parameters));
        SamTemplate parsed = SamTemplate.load(template);
        List<String> functions = new ArrayList<>();
        parsed.resources().values().stream().filter(r -> r.type().equals(SamTemplate.SERVERLESS_FUNCTION))
                .forEach(r -> functions.add(r.logicalId()));
        assertEquals(functions.stream().sorted().toList(), sam.keySet().stream().sorted().toList());
        for (String function : functions) {
            ExecutionRoles.SamRole ours = ExecutionRoles.samRole(parsed, function);
            assertEquals(List.of(), ours.notes(), function);
            Map<?, ?> theirs = (Map<?, ?>) sam.get(function);
            List<Object> theirPolicies = new ArrayList<>();
            for (Object policy : (List<?>) theirs.get("Policies")) {
                theirPolicies.add(policyDocument(policy));
            }
            List<Object> ourPolicies = ours.policies().stream().map(p -> normalized(p.document())).toList();
            assertEquals(theirPolicies.size(), ourPolicies.size(), function + ": number of inline policies");
            for (int i = 0; i < ourPolicies.size(); i++) {
                assertEquals(theirPolicies.get(i), ourPolicies.get(i), function + " policy " + i + " ("
                        + ours.policies().get(i).source() + ")");
            }
            assertEquals(theirs.get("ManagedPolicyArns"), ours.managedPolicies().stream().map(m -> normalized(m.arn())).toList(),
                    function + ": managed policies");
        }
    }

    /** A role's Policies entry as the document it holds (an Fn::If of documents for a conditional one). */
    private static Object policyDocument(Object entry) {
        Map<?, ?> fields = (Map<?, ?>) entry;
        if (fields.containsKey("Fn::If")) {
            List<?> args = (List<?>) fields.get("Fn::If");
            List<Object> branches = new ArrayList<>();
            branches.add(args.get(0));
            for (Object branch : args.subList(1, 3)) {
                branches.add(branch instanceof Map<?, ?> map && map.containsKey("PolicyDocument")
                        ? map.get("PolicyDocument") : branch);
            }
            return Map.of("Fn::If", branches);
        }
        return fields.get("PolicyDocument");
    }

    /** The value as JSON would hold it: intrinsics in their long forms, numbers as the parser reads them. */
    private static Object normalized(Object value) {
        return Json.parse(Json.write(longForms(value)));
    }

    private static Object longForms(Object value) {
        if (value instanceof Intrinsic.Ref ref) {
            return Map.of("Ref", ref.name());
        }
        if (value instanceof Intrinsic.GetAtt getAtt) {
            return Map.of("Fn::GetAtt", List.of(getAtt.resource(), getAtt.attribute()));
        }
        if (value instanceof Intrinsic.Sub sub) {
            return Map.of("Fn::Sub", sub.variables().isEmpty() ? sub.template()
                    : List.of(sub.template(), longForms(sub.variables())));
        }
        if (value instanceof Intrinsic.Fn fn) {
            return Map.of(fn.name(), longForms(fn.args()));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), longForms(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SamExpansionTest::longForms).toList();
        }
        return value;
    }

    private static String run(Path template, String parameters) throws Exception {
        Path script = Files.createTempFile("sam-expand-roles", ".py");
        try (InputStream in = SamExpansionTest.class.getResourceAsStream("/sam-expand-roles.py")) {
            Files.write(script, in.readAllBytes());
            return python(List.of(script.toString(), template.toString(), parameters));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String python(String code) throws Exception {
        return python(List.of("-c", code));
    }

    private static String python(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, process.exitValue(), errors);
        return output;
    }
}
